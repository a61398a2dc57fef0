"""Capacity page views: the competency x level heatmap, ranked gaps and assets, breakdowns, answer
distributions, two groups compared (Welch), change between rounds and capacity against indicators.

Frames in, frames out; every number comes from a suppressed query (capacity_cells), so a suppressed cell
stays suppressed here: it is drawn grey and never enters a ranking, comparison or difference.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import capacity
from dashboard.charts.layout import with_unit

CAPTION = ("Health policy and systems research capacity as respondents rate it: current capacity (asset) and the "
           "need to strengthen it, 1-5, by competency domain and level. Groups too small to protect are never shown.")
TABS = ("Overview", "Breakdowns", "Answers", "Compare two groups", "Change between rounds", "Against indicators")
MEASURES = {"gap": "Gap (need − asset)", "mean_asset": "Mean asset", "mean_need": "Mean need"}
MEASURE_BUTTONS = {"gap": "Gap", "mean_asset": "Asset", "mean_need": "Need"}  # short enough for one row
KINDS = {"asset": "Current capacity (asset)", "need": "Need to strengthen"}
BREAKDOWNS = capacity.BREAKDOWNS
LEVELS = capacity.LEVELS
INDICATORS = ("UHC_INDEX_COMPUTED", "UHC_INDEX_REPORTED", "SH.XPD.GHED.CH.ZS", "SH.XPD.CHEX.PC.CD")
ANSWER_LABELS = {1: "1 (lowest)", 2: "2", 3: "3", 4: "4", 5: "5 (highest)"}
RANKED = 6  # rows in each ranked list
NOT_STATED = "(not stated)"  # the group of respondents without a value (queries/warehouse/capacity.sql)
RANKINGS = {"gap": "Largest gaps (need − asset)", "mean_asset": "Strongest assets: build on these"}


def suppression_note(threshold: int) -> str:
    return (f"Grey cells are suppressed: fewer than {threshold} respondents, a group whose number could be "
            "subtracted from a shown one, or the next-smallest group beside a suppressed one.")


def survey_label(surveys: pd.DataFrame) -> dict[str, str]:
    """survey_code -> 'HPSR capacity self-assessment (synthetic demo), 2024' for the picker."""
    return {r.survey_code: r.title if pd.isna(r.year) else f"{r.title}, {int(r.year)}" for r in surveys.itertuples()}


def totals(rows: pd.DataFrame) -> pd.DataFrame:
    """The totals of capacity/summary_by_group (one row per level x competency), with the measure labels."""
    out = rows[rows["is_total"]].copy()
    out["level_order"] = out["level"].map({level: i for i, level in enumerate(LEVELS)})
    return out.sort_values(["level_order", "competency"]).drop(columns="level_order").reset_index(drop=True)


def heatmap_table(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Totals ready for the heatmap: level, competency, n, mean_asset, mean_need, gap, suppressed and
    `value` (the chosen measure). Grain: one row per level x competency."""
    out = totals(rows)[capacity.SUMMARY_COLUMNS].copy()
    out["value"] = out[measure]
    return out


def ranked(rows: pd.DataFrame, measure: str, count: int = RANKED) -> pd.DataFrame:
    """The `count` shown level x competency cells with the largest `measure` (suppressed cells never rank).
    Grain: one row per cell; columns label, level, competency, value, n."""
    shown = totals(rows)
    shown = shown[~shown["suppressed"].astype(bool) & shown[measure].notna()].astype({measure: float})
    top = shown.nlargest(count, measure)
    return pd.DataFrame({"label": top["competency"] + " (" + top["level"] + ")", "level": top["level"],
                         "competency": top["competency"], "value": top[measure], "n": top["n"]}).reset_index(drop=True)


def headline(rows: pd.DataFrame) -> str:
    """'Largest gap: Economic evaluation (individual), need 4.7 against asset 2.4.'"""
    gaps, assets = ranked(rows, "gap", 1), ranked(rows, "mean_asset", 1)
    if assets.empty and gaps.empty:
        return "Every cell of this selection is suppressed."
    if gaps.empty:  # a survey asking current capacity only
        return (f"Strongest asset: {assets['label'].iloc[0]}, {assets['value'].iloc[0]:.1f}. No item of this "
                "selection was asked as need, so there is no gap: choose Asset.")
    best = assets.iloc[0]
    top = totals(rows).set_index(["level", "competency"]).loc[(gaps["level"].iloc[0], gaps["competency"].iloc[0])]
    return (f"Largest gap: {gaps['label'].iloc[0]}, need {top['mean_need']:.1f} against asset "
            f"{top['mean_asset']:.1f}. Strongest asset: {best['label']}, {best['value']:.1f}.")


def breakdown_table(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """The page's (and `capacity summary --by`'s) table for one breakdown field."""
    return capacity.summary_table(rows, [by])


def breakdown_heatmap(table: pd.DataFrame, by: str, level: str, measure: str) -> pd.DataFrame:
    """One level of a breakdown table with `group` (the field's value) and `value` (the measure); groups
    suppressed in every cell are left out of the chart (the table keeps their rows)."""
    out = table[table["level"] == level].copy()
    out = out[out.groupby(by, dropna=False)["suppressed"].transform("all") == False]  # noqa: E712
    out["group"] = out[by].astype(str)
    out["value"] = out[measure]
    return out.reset_index(drop=True)


def groups(table: pd.DataFrame, by: str) -> list[str]:
    """The groups of a breakdown (its table, or capacity/summary_by_group rows) with at least one shown cell."""
    if "is_total" in table.columns:
        table = table[~table["is_total"]]
    found = table.loc[~table["suppressed"].astype(bool), by].astype(str).unique()
    return sorted(found, key=lambda g: (g == NOT_STATED, g))  # '(not stated)' last


def chosen_groups(table: pd.DataFrame, by: str, first: str, second: str) -> tuple[str | None, str | None]:
    """The two groups to compare: those asked for when they are shown groups of the breakdown, else the
    first two shown groups (None when there are not enough)."""
    options = groups(table, by)
    first = first if first in options else (options[0] if options else None)
    rest = [g for g in options if g != first]
    second = second if second in rest else (rest[0] if rest else None)
    return first, second


def distribution_table(rows: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """capacity/distribution_by_group rows as shares for a diverging stacked bar: one row per group x kind x
    score with answers, share (of the group's answers) and the bar's start and end (centred on the midpoint
    of the middle answer). Suppressed groups keep one row per kind with no score."""
    out = rows.copy()
    out["group"] = "All respondents" if not by else out[by].astype(str)
    out.loc[out["is_total"], "group"] = "All respondents"
    shown = out[~out["suppressed"]].copy()
    shown["answers"] = shown["answers"].astype(float)
    shown["share"] = shown["answers"] / shown.groupby(["group", "kind"])["answers"].transform("sum")
    shown = shown.sort_values(["group", "kind", "score"])
    # The middle answer (3 of 1-5) straddles zero: half of it to the left, half to the right.
    middle = shown["score"] == 3
    below = shown["score"] < 3
    shown["left"] = shown.groupby(["group", "kind"])["share"].transform(
        lambda s: -(s[below.loc[s.index]].sum() + s[middle.loc[s.index]].sum() / 2))
    shown["start"] = shown.groupby(["group", "kind"])["share"].cumsum() - shown["share"] + shown["left"]
    shown["end"] = shown["start"] + shown["share"]
    shown["answer"] = shown["score"].map(ANSWER_LABELS).fillna(shown["score"].astype("string"))
    hidden = out[out["suppressed"]].drop_duplicates(["group", "kind"])
    columns = ["group", "kind", "score", "answer", "answers", "share", "start", "end", "n", "suppressed"]
    out = pd.concat([shown, hidden], ignore_index=True).reindex(columns=columns)
    out["first"] = out["group"] != "All respondents"  # the total first, then the groups in order
    return out.sort_values(["first", "group", "kind", "score"]).drop(columns="first").reset_index(drop=True)


def comparison_table(table: pd.DataFrame, by: str, first: str, second: str, measure: str) -> pd.DataFrame:
    """Two groups of a breakdown side by side per level x competency, with the difference (first − second)
    of the mean asset or need and its 95% Welch interval; a cell where either group is suppressed has no
    difference. `table`: capacity/summary_by_group rows (with standard deviations). Grain: one row per
    level x competency."""
    table = table[~table["is_total"]]
    kind = "need" if measure == "mean_need" else "asset"
    column = "mean_need" if kind == "need" else "mean_asset"
    a = table[table[by].astype(str) == first].set_index(["level", "competency"])
    b = table[table[by].astype(str) == second].set_index(["level", "competency"])
    rows = []
    for key in a.index.intersection(b.index):
        ra, rb = a.loc[key], b.loc[key]
        shown = not (ra["suppressed"] or rb["suppressed"])
        result = capacity.welch(ra[column], ra[f"sd_{kind}"], ra[f"n_{kind}"], rb[column], rb[f"sd_{kind}"],
                                rb[f"n_{kind}"]) if shown else {"difference": math.nan, "lower": math.nan,
                                                                 "upper": math.nan}
        rows.append({"level": key[0], "competency": key[1], "first": ra[column] if shown else math.nan,
                     "second": rb[column] if shown else math.nan, "difference": result["difference"],
                     "lower": result["lower"], "upper": result["upper"],
                     "n_first": ra["n"] if shown else pd.NA, "n_second": rb["n"] if shown else pd.NA,
                     "suppressed": not shown})
    out = pd.DataFrame(rows, columns=["level", "competency", "first", "second", "difference", "lower", "upper",
                                      "n_first", "n_second", "suppressed"])
    out["level_order"] = out["level"].map({level: i for i, level in enumerate(LEVELS)})
    return out.sort_values(["level_order", "competency"]).drop(columns="level_order").reset_index(drop=True)


def comparison_sentence(table: pd.DataFrame, first: str, second: str) -> str:
    """How many cells differ with 95% confidence, and the largest such difference."""
    shown = table[~table["suppressed"] & table["lower"].notna()]
    clear = shown[(shown["lower"] > 0) | (shown["upper"] < 0)]
    if shown.empty:
        return f"No cell can be compared: {first} or {second} is suppressed everywhere."
    if clear.empty:
        return f"No difference between {first} and {second} is clear at 95% in any of {len(shown)} cells."
    top = clear.loc[clear["difference"].abs().idxmax()]
    return (f"{len(clear)} of {len(shown)} cells differ at 95%; the largest: {top['competency']} ({top['level']}), "
            f"{first} {top['difference']:+.2f} (95% CI {top['lower']:+.2f} to {top['upper']:+.2f}).")


def change_table(rows: pd.DataFrame) -> pd.DataFrame:
    """capacity/change_by_item with the 95% Welch interval of the asset change; suppressed items keep their
    row with empty values. Grain: one row per item asked in both rounds."""
    out = rows.copy()
    intervals = [capacity.welch(r.asset_after, r.sd_asset_after, r.n_asset_after, r.asset_before,
                                r.sd_asset_before, r.n_asset_before) if not r.suppressed else
                 {"lower": math.nan, "upper": math.nan} for r in out.itertuples()]
    out["lower"] = [i["lower"] for i in intervals]
    out["upper"] = [i["upper"] for i in intervals]
    out["label"] = out["item_code"] + " " + out["text"]
    return out[["item_code", "label", "level", "competency", "n_before", "n_after", "asset_before", "asset_after",
                "asset_change", "lower", "upper", "need_before", "need_after", "need_change", "suppressed"]]


def change_sentence(table: pd.DataFrame, before: str, after: str) -> str:
    shown = table[~table["suppressed"] & table["asset_change"].notna()]
    if shown.empty:
        return "Every item of this selection is suppressed in one round or the other."
    grew = shown[shown["lower"] > 0]
    top = shown.loc[shown["asset_change"].idxmax()]
    return (f"Between {before} and {after}, {len(grew)} of {len(shown)} items' mean asset rose with 95% confidence; "
            f"most: {top['label']} ({top['asset_change']:+.2f}).")


def scatter_options(meta, level: str) -> dict:
    """Keyword options of charts.capacity.capacity_scatter for one indicator's metadata and a level."""
    return {"title": f"Mean {level} asset against {meta['short_name']}", "log_x": meta["unit"] == "current US$",
            "x_title": with_unit(meta["name"], meta["unit"]), "y_title": f"Mean {level} asset (1-5)"}


def breakdown_options(by: str, level: str, measure: str) -> dict:
    """Keyword options of charts.capacity.heatmap for a breakdown: groups down, competencies across."""
    return {"title": f"{MEASURES[measure]}, {level} level, by {BREAKDOWNS[by].lower()}", "measure": measure,
            "measure_title": MEASURES[measure], "y": "group", "x": "competency", "x_sort": "ascending"}


def comparison_options(first: str, second: str, measure: str) -> dict:
    kind = "need" if measure == "mean_need" else "asset"
    return {"title": f"{first} against {second}",
            "subtitle": f"Dots: difference of mean {kind} (first − second); lines: 95% interval (Welch)."}


def item_labels(items: pd.DataFrame) -> dict[str, str]:
    """item_code -> 'IND01 · Formulating researchable questions … (individual)' for the picker (items
    indexed by item_code, as capacity/items_by_survey)."""
    return {code: f"{code} · {row.text} ({row.level})" for code, row in items.iterrows()}


def indicator_choices(available) -> list[str]:
    """The indicators the capacity scatter offers that the warehouse holds ('' alone when it holds none)."""
    return [code for code in INDICATORS if code in set(available)] or [""]


def scatter_table(rows: pd.DataFrame) -> pd.DataFrame:
    """capacity/asset_against_indicator_by_country as plotted (suppressed countries are already absent)."""
    return rows[["iso3", "name", "who_region", "income_group", "n", "mean_asset", "estimate", "year",
                 "source_code"]].reset_index(drop=True)


def correlation_sentence(table: pd.DataFrame, indicator_name: str, level: str) -> str:
    if len(table) < 3:
        return "Too few countries with enough respondents to compare."
    r = table["mean_asset"].corr(table["estimate"], method="spearman")
    return (f"{len(table)} countries with enough respondents; Spearman's rank correlation between mean "
            f"{level} asset and {indicator_name}: {r:.2f}.")
