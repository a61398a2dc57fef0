"""Country profile page views: building-block scorecards, peer wording, the UHC headline, equity and capacity snapshots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard import catalogue
from dashboard.charts.layout import quantity, with_unit
from dashboard.markdown import plain

# The headline's five slots: each shows the index computed from its tracers (SDG 3.8.1 method, dashboard/uhc)
# when the warehouse has it, else the published one.
HEADLINE_SLOTS = (
    ("UHC_INDEX_COMPUTED", "UHC_INDEX_REPORTED"), ("UHC_SCI_RMNCH_COMPUTED", "UHC_SCI_RMNCH"),
    ("UHC_SCI_INFECT_COMPUTED", "UHC_SCI_INFECT"), ("UHC_SCI_NCD_COMPUTED", "UHC_SCI_NCD"),
    ("UHC_SCI_CAPACITY_COMPUTED", "UHC_SCI_CAPACITY"),
)
# Metric labels short enough for five metrics side by side on a 1280-pixel screen; full names are in the help.
HEADLINE_LABELS = dict(zip((code for slot in HEADLINE_SLOTS for code in slot),
                           [label for label in ("UHC index", "RMNCH", "Infectious", "NCDs", "Capacity")
                            for _ in range(2)]))
DELTA_YEARS = 5  # the headline compares with the value at least this many years earlier
LEVELS = ("individual", "organisational", "network")
PEER_GROUPS = ("who_region", "income_group")
QUINTILES = ("Q1 poorest", "Q2", "Q3", "Q4", "Q5 richest")
SCORECARD_COLUMNS = ("Indicator", "Latest", "Year", "Trend", "who_region", "income_group", "Unit")


def blocks(latest: pd.DataFrame) -> list[str]:
    """Building blocks that have at least one indicator in `latest` (profile/latest_by_indicator), in the
    WHO order (unknown blocks after them, alphabetically)."""
    return catalogue.block_order(latest["building_block"])


def block_choices(latest: pd.DataFrame) -> list[str]:
    """The block tabs: `blocks`, or the first WHO block when the country has no values at all."""
    return blocks(latest) or [catalogue.BUILDING_BLOCKS[0]]


def context_line(who_region: str | None, income_group: str | None) -> str:
    """'African Region · Lower middle income · latest national values' (placeholders when unknown)."""
    region = catalogue.who_region_name(who_region, missing="no WHO region")
    income = income_group if isinstance(income_group, str) and income_group else "no income group"
    return f"{region} · {income} · latest national values"


def fmt(value: float, decimals: int) -> str:
    """A value at the indicator's display precision, with thousands separators."""
    return f"{value:,.{int(decimals)}f}"


def year_label(year: int, age: int, stale_years: int) -> str:
    """'2022' for a recent value; '⚠ 2015 · 9 years old' when older than `stale_years`."""
    if age > stale_years:
        return f"⚠ {int(year)} · {int(age)} years old"
    return str(int(year))


def peer_phrase(peer_group: str, peer_name: str | None) -> str:
    """Who the peers are, for a sentence: 'countries in the African Region', 'lower-middle-income countries'."""
    if not isinstance(peer_name, str) or not peer_name:
        return "peers (no WHO region)" if peer_group == "who_region" else "peers (no income group)"
    if peer_group == "who_region":
        return f"countries in the {catalogue.who_region_name(peer_name)}"
    if peer_group == "income_group":
        return f"{peer_name.lower().replace(' ', '-')} countries"
    raise ValueError(f"peer_group must be one of {PEER_GROUPS}, got {peer_group!r}")


def peer_header(peer_group: str, peer_name: str | None) -> str:
    """A scorecard column header naming the peer group: 'African Region', 'Lower middle income'."""
    if not isinstance(peer_name, str) or not peer_name:
        return "No WHO region" if peer_group == "who_region" else "No income group"
    return catalogue.who_region_name(peer_name) if peer_group == "who_region" else peer_name


def standing(percentile: float | None, peers: int | None) -> str:
    """'better than 72% (of 46)'; 'no peer values' when no peer has a value to compare with.

    The percentile is rounded half up so a tie-split 72.5 reads 73, never a banker's 72.
    """
    if peers is None or pd.isna(peers) or int(peers) == 0 or percentile is None or pd.isna(percentile):
        return "no peer values"
    if extreme := _extreme(percentile, peers):
        return extreme
    return f"better than {math.floor(percentile + 0.5)}% (of {int(peers)})"


def _extreme(percentile: float, peers: int, phrase: str = "") -> str:
    """'ahead of all 49 …' / 'behind all 49 …' (or '… the only peer') at the ends of the scale, where a
    percentage ('better than 100%') would read oddly; '' elsewhere."""
    if 0 < percentile < 100:
        return ""
    where = "ahead of" if percentile >= 100 else "behind"
    if int(peers) == 1:
        return f"{where} the only peer with a value" + (f" among {phrase}" if phrase else "")
    return f"{where} all {int(peers)}" + (f" {phrase} with a value" if phrase else "")


def standing_sentence(percentile: float | None, peers: int | None, phrase: str) -> str:
    """'better than 72% of lower-middle-income countries (46 with a value)'."""
    if peers is None or pd.isna(peers) or int(peers) == 0 or percentile is None or pd.isna(percentile):
        return f"no other {phrase} have a value to compare with"
    if extreme := _extreme(percentile, peers, phrase):
        return extreme
    return f"better than {math.floor(percentile + 0.5)}% of {phrase} ({int(peers)} with a value)"


def _standing_columns(standings: pd.DataFrame) -> pd.DataFrame:
    """Wide table: one row per indicator_code with percentile and peers for each peer group."""
    wide = pd.DataFrame(index=pd.Index(standings["indicator_code"].unique(), name="indicator_code"))
    for group in PEER_GROUPS:
        rows = standings[standings["peer_group"] == group].set_index("indicator_code")
        wide[f"{group}_percentile"] = rows["percentile"]
        wide[f"{group}_peers"] = rows["peers"]
    return wide


def scorecard_values(latest: pd.DataFrame, standings: pd.DataFrame, *, block: str,
                     stale_years: int) -> pd.DataFrame:
    """The numbers behind one building block's scorecard (the download): one row per indicator of `block`
    with value, year, age, stale flag and percentile and peer count for each peer group.

    `latest` is profile/latest_by_indicator; `standings` is profile/peer_standing_by_indicator_group.
    """
    rows = latest[latest["building_block"] == block].copy()
    rows["tracer_rank"] = rows["uhc_tracer"].map({"Index": 0, "Sub-index": 1}).fillna(2)
    rows = rows.sort_values(["domain", "tracer_rank", "short_name"])
    wide = _standing_columns(standings).reindex(rows["indicator_code"])
    out = pd.DataFrame({
        "indicator_code": rows["indicator_code"].to_numpy(),
        "indicator": rows["short_name"].to_numpy(),
        "unit": rows["unit"].to_numpy(),
        "favourable_indicator": rows["favourable_indicator"].to_numpy(),
        "year": rows["year"].astype("Int64").to_numpy(),
        "estimate": rows["estimate"].to_numpy(),
        "reference_year": rows["reference_year"].astype("Int64").to_numpy(),
        "data_age": rows["data_age"].astype("Int64").to_numpy(),
        "stale": (rows["data_age"] > stale_years).to_numpy(),
    })
    for group in PEER_GROUPS:
        out[f"{group}_percentile"] = wide[f"{group}_percentile"].round(1).to_numpy()
        out[f"{group}_peers"] = wide[f"{group}_peers"].astype("Int64").to_numpy()
    out["source_code"] = rows["source_code"].to_numpy()
    return out


def scorecard(latest: pd.DataFrame, standings: pd.DataFrame, series: pd.DataFrame, *, block: str,
              stale_years: int) -> pd.DataFrame:
    """One building block's scorecard for display: one row per indicator with columns SCORECARD_COLUMNS
    (value at display precision, year flagged when old, the series as a list for a sparkline, and the
    standing among WHO-region and income-group peers as 'better than 72% (of 46)').

    `series` is profile/series_by_indicator_year (one row per indicator_code x year).
    """
    values = scorecard_values(latest, standings, block=block, stale_years=stale_years)
    decimals = dict(zip(latest["indicator_code"], latest["decimals"]))
    trends = _series_lists(series[series["indicator_code"].isin(values["indicator_code"])])
    return pd.DataFrame({
        "Indicator": values["indicator"],
        "Latest": [fmt(v, decimals[c]) for c, v in zip(values["indicator_code"], values["estimate"])],
        "Year": [year_label(y, a, stale_years) for y, a in zip(values["year"], values["data_age"])],
        "Trend": [trends.get(c, []) for c in values["indicator_code"]],
        "who_region": [standing(p, n) for p, n in zip(values["who_region_percentile"],
                                                       values["who_region_peers"])],
        "income_group": [standing(p, n) for p, n in zip(values["income_group_percentile"],
                                                         values["income_group_peers"])],
        "Unit": values["unit"],
    })


def _series_lists(series: pd.DataFrame) -> dict[str, list[float]]:
    """indicator_code -> its estimates in year order (split from one sorted array: thousands of indicators
    are common, and a per-group Python aggregation is slow)."""
    ordered = series.sort_values(["indicator_code", "year"], kind="stable")
    codes = ordered["indicator_code"].to_numpy()
    if not len(codes):
        return {}
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    chunks = np.split(ordered["estimate"].to_numpy(dtype=float), starts[1:])
    return {codes[i]: chunk.tolist() for i, chunk in zip(starts, chunks)}


def trend_values(series: pd.DataFrame, latest: pd.DataFrame, *, block: str) -> pd.DataFrame:
    """The series behind one block's sparklines (the download): one row per indicator x year."""
    names = latest[latest["building_block"] == block].set_index("indicator_code")["short_name"]
    rows = series[series["indicator_code"].isin(names.index)].copy()
    rows.insert(1, "indicator", rows["indicator_code"].map(names))
    return rows.reset_index(drop=True)


def headline(latest: pd.DataFrame, standings: pd.DataFrame) -> list[dict]:
    """`st.metric` arguments for the UHC service coverage index and its four sub-indices, in that order,
    for those the country has: short label with year, value, change since the latest value at least
    DELTA_YEARS earlier (its year in the description), the delta colour turned round for adverse
    indicators, and a help text with the full name and the standing among peers.
    """
    rows = latest.set_index("indicator_code")
    metrics = []
    for code in headline_codes(latest):
        row = rows.loc[code]
        decimals = int(row["decimals"])
        delta, since = None, None
        if not pd.isna(row["earlier_estimate"]):
            change = round(float(row["estimate"]) - float(row["earlier_estimate"]), decimals)
            delta, since = (int(change) if decimals == 0 else change), f"since {int(row['earlier_year'])}"
        metrics.append({
            "label": f"{HEADLINE_LABELS[code]} · {int(row['year'])}",
            "value": fmt(row["estimate"], decimals),
            "delta": delta,
            "delta_description": since,
            "delta_color": "normal" if bool(row["favourable_indicator"]) else "inverse",
            "help": _headline_help(code, row, standings),
        })
    return metrics


def headline_codes(latest: pd.DataFrame) -> list[str]:
    """The code each headline slot shows for this country: computed if present, else published."""
    present = set(latest["indicator_code"])
    return [next(code for code in slot if code in present) for slot in HEADLINE_SLOTS
            if any(code in present for code in slot)]


def _headline_help(code: str, row: pd.Series, standings: pd.DataFrame) -> str:
    peers = standings[standings["indicator_code"] == code].set_index("peer_group")
    parts = [f"{with_unit(row['name'], row['unit'])}."]
    for group in PEER_GROUPS:
        if group in peers.index:
            peer = peers.loc[group]
            parts.append(standing_sentence(peer["percentile"], peer["peers"],
                                           peer_phrase(group, peer["peer_name"])).capitalize() + ".")
    return " ".join(parts)


def headline_values(latest: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the headline metrics (the download): one row per UHC index or sub-index."""
    codes = headline_codes(latest)
    rows = latest[latest["indicator_code"].isin(codes)].copy()
    rows["order"] = rows["indicator_code"].map({c: i for i, c in enumerate(codes)})
    rows = rows.sort_values("order")
    return rows[["indicator_code", "short_name", "unit", "year", "estimate", "earlier_year", "earlier_estimate",
                 "source_code"]].reset_index(drop=True)


def largest_gap(gaps: pd.DataFrame) -> pd.Series | None:
    """The indicator with the largest absolute richest-minus-poorest gap, or None when there is none.

    `gaps` is profile/wealth_gap_by_indicator (already ordered by absolute gap, then code).
    """
    return None if gaps.empty else gaps.iloc[0]


def quintile_points(gap: pd.Series) -> pd.DataFrame:
    """The five quintile values of one gap row as a long table: quintile (1..5), label, estimate,
    and the indicator and year they belong to (quintiles without a value are left out)."""
    rows = [{"indicator_code": gap["indicator_code"], "indicator": gap["short_name"], "year": int(gap["year"]),
             "quintile": i + 1, "label": label, "estimate": float(gap[f"q{i + 1}"])}
            for i, label in enumerate(QUINTILES) if not pd.isna(gap[f"q{i + 1}"])]
    return pd.DataFrame(rows, columns=["indicator_code", "indicator", "year", "quintile", "label", "estimate"])


def gap_sentence(gap: pd.Series) -> str:
    """'Skilled birth attendance, 2020: poorest 69.3%, richest 100.0%, gap 30.7 points'."""
    d, unit = int(gap["decimals"]), str(gap["unit"])
    points = "points" if unit in ("%", "index (0-100)", "score (0-100)") else unit
    return (f"{gap['short_name']}, {int(gap['year'])}: poorest {quantity(fmt(gap['q1'], d), unit)}, "
            f"richest {quantity(fmt(gap['q5'], d), unit)}, gap {quantity(fmt(gap['gap'], d), points)}")


def survey_line(survey: pd.Series) -> str:
    """'**85 respondents** · HPSR capacity self-assessment, 2024' for one row of
    profile/capacity_respondents_by_survey (the year left out when the survey has none); Markdown, with the
    imported survey title escaped."""
    year = "" if pd.isna(survey["year"]) else f", {int(survey['year'])}"
    if pd.isna(survey["respondents"]):  # hidden by the suppression rule
        return f"**Respondents: a small group, not counted** · {plain(survey['title'])}{year}"
    return f"**{int(survey['respondents'])} respondents** · {plain(survey['title'])}{year}"


def survey_name(survey: pd.Series) -> str:
    """'HPSR capacity self-assessment, 2024': a survey of profile/capacity_respondents_by_survey with its year."""
    return survey["title"] if pd.isna(survey["year"]) else f"{survey['title']}, {int(survey['year'])}"


def suppressed_levels(summary: pd.DataFrame, levels: tuple[str, ...] = LEVELS) -> list[str]:
    """Capacity levels missing from `summary` (profile/capacity_summary_by_level), i.e. answered by fewer
    respondents than the suppression threshold."""
    shown = set(summary["level"])
    return [level for level in levels if level not in shown]


def capacity_points(summary: pd.DataFrame) -> pd.DataFrame:
    """The capacity summary as a long table for the asset-versus-need chart: one row per level x kind
    ('Current capacity' for asset scores, 'Need'), with the level's respondent count."""
    rows = [{"level": row.level, "kind": kind, "score": float(score), "respondents": int(row.respondents)}
            for row in summary.itertuples()
            for kind, score in (("Current capacity", row.mean_asset), ("Need", row.mean_need))
            if not pd.isna(score)]
    return pd.DataFrame(rows, columns=["level", "kind", "score", "respondents"])


def table_height(rows: int, row: int = 35, header: int = 38) -> int:
    """Pixels for a table that shows every row without a scrollbar cutting the last one."""
    return header + row * max(rows, 1) + 3
