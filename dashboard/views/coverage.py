"""Coverage & quality page views: the index over time, tracer scores, what-if scenarios, subgroup indices,
care cascades and the financial-protection comparison (frames in, frames out)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import catalogue, contract, uhc
from dashboard.charts.layout import quantity
from dashboard.uhc import subgroups
from dashboard.uhc import warehouse as uhc_warehouse
from dashboard.uhc.tracers import CEILING, FLOOR, TRACER_BY_KEY

CAPTION = ("The UHC service coverage index (SDG 3.8.1) computed from its 14 tracers: what holds it down, what would "
           "move it, who is left behind, where people drop out of care, and financial protection.")
MEASURES = {"index": "UHC service coverage index", "rmnch": "RMNCH sub-index", "infectious": "Infectious diseases",
            "ncd": "Noncommunicable diseases", "capacity": "Service capacity and access"}
# Tracer names short enough for a bar label or a slider on a 1280-pixel screen (the full names are in dashboard.uhc).
SHORT_LABELS = {
    "fp_demand_satisfied": "Family planning (modern methods)", "anc4": "Antenatal care, 4+ visits",
    "dtp3": "DTP3 immunization", "pneumonia_care": "Care-seeking for pneumonia", "tb_treatment": "TB treatment",
    "art": "ART coverage", "itn": "ITN use", "sanitation_basic": "Basic sanitation",
    "hypertension_treated": "Hypertension treatment", "fpg_mean_mmol": "Fasting plasma glucose",
    "tobacco_prevalence": "Tobacco non-use", "hospital_beds_per_10k": "Hospital beds",
    "health_workforce": "Health workforce", "ihr_capacity": "IHR core capacity",
}
COMPUTED, PUBLISHED = "Computed from tracers", "Published"
INDEX_CODES = (*uhc_warehouse.CODES.values(), *uhc_warehouse.PUBLISHED_CODES.values())
INDEX = uhc_warehouse.CODES["index"]  # what tracer, scenario and gain tables decompose
_CODE_MEASURE = {**{code: (measure, COMPUTED) for measure, code in uhc_warehouse.CODES.items()},
                 **{code: (measure, PUBLISHED) for measure, code in uhc_warehouse.PUBLISHED_CODES.items()}}
AREA_LABELS = {"rmnch": "RMNCH", "infectious": "Infectious diseases", "ncd": "NCDs", "capacity": "Capacity and access"}
DIMENSIONS = {"wealth": contract.DIM_WEALTH, "residence": contract.DIM_RESIDENCE, "region": contract.DIM_SUBNATIONAL}
DIMENSION_LABELS = {"wealth": "Wealth quintile", "residence": "Urban or rural", "region": "Subnational region"}
GAIN_POINTS = 10  # the what-if gain chart raises each tracer by this many points
CATASTROPHIC, SPENDING = "SH.UHC.OOPC.10.ZS", "SH.XPD.CHEX.PC.CD"
METHOD_NOTE = ("Each tracer is put on a 0-100 scale; the index is the geometric mean of the four areas' geometric "
               "means (SDG 3.8.1 metadata, 2023), so a low tracer costs more than a high one gains, and a tracer "
               "in a small area weighs more. Missing years are interpolated or carried forward; an input the "
               "country lacks altogether takes its WHO region's median (marked imputed).")
PROTECTION = {
    CATASTROPHIC: {"title": "Service coverage against catastrophic spending",
                   "x_title": "Spending over 10% of the household budget on health (% of people)",
                   "x_format": ",.1f", "log_x": False, "worse": True, "words": "catastrophic health spending",
                   "value": "{:.1f}% of people",
                   "quadrants": ("Better on both halves", "Coverage, but hardship", "Less hardship, low coverage",
                                 "Worse on both halves")},
    SPENDING: {"title": "Service coverage against health spending per capita",
               "x_title": "Current health expenditure per capita (current US$)", "x_format": "$,.0f", "log_x": True,
               "worse": False, "quadrants": None, "words": "health spending per capita", "value": "US${:,.0f}"},
}
GROUPS = ("Chosen country", "Same WHO region and income group", "Same WHO region", "Same income group",
          "Other countries")


# --- the index over time ------------------------------------------------------------------------------------

def index_series(rows: pd.DataFrame) -> pd.DataFrame:
    """coverage/index_series_by_year rows with the measure each code is and whether it is computed or published.

    Grain: one row per measure x kind x year; columns indicator_code, measure, panel, kind, year, value, flag,
    source_code.
    """
    known = rows[rows["indicator_code"].isin(list(_CODE_MEASURE))]
    pairs = known["indicator_code"].map(_CODE_MEASURE)
    out = pd.DataFrame({
        "indicator_code": known["indicator_code"].to_numpy(),
        "measure": [p[0] for p in pairs], "panel": [MEASURES[p[0]] for p in pairs], "kind": [p[1] for p in pairs],
        "year": known["year"].astype(int).to_numpy(), "value": known["estimate"].astype(float).to_numpy(),
        "flag": known["flag"].to_numpy(), "source_code": known["source_code"].to_numpy(),
    })
    order = {m: i for i, m in enumerate(MEASURES)}
    return out.sort_values(["measure", "kind", "year"], key=lambda s: s.map(order) if s.name == "measure" else s) \
        .reset_index(drop=True)


def years(rows: pd.DataFrame, fallback) -> list[int]:
    """The years a page may show: those with a computed index (every tracer scored), else `fallback`."""
    computed = rows.loc[rows["indicator_code"] == uhc_warehouse.CODES["index"], "year"]
    return sorted(int(y) for y in computed.unique()) or list(fallback)


def default_year(rows: pd.DataFrame, fallback) -> int:
    """The latest year with both a computed and a published index (WHO's latest round, where the two can be
    compared and fewer inputs are carried forward), else the latest of `years`."""
    shown = years(rows, fallback)
    published = rows.loc[rows["indicator_code"] == uhc_warehouse.PUBLISHED_CODES["index"], "year"]
    both = sorted(set(shown) & {int(y) for y in published})
    return both[-1] if both else shown[-1]


def headline(series: pd.DataFrame, year: int) -> dict | None:
    """st.metric arguments for the computed index in `year`, with how many tracers were imputed."""
    row = series[(series["measure"] == "index") & (series["kind"] == COMPUTED) & (series["year"] == year)]
    if row.empty:
        return None
    flag = row["flag"].iloc[0]
    published = series[(series["measure"] == "index") & (series["kind"] == PUBLISHED) & (series["year"] == year)]
    return {"label": f"UHC service coverage index, {year}", "value": f"{row['value'].iloc[0]:.1f}",
            "delta": f"published: {published['value'].iloc[0]:.0f}" if not published.empty else None,
            "delta_color": "off", "delta_arrow": "off",
            "help": "Computed from the tracers with the SDG 3.8.1 method; "
                    + (f"{flag}." if isinstance(flag, str) and flag else "no tracer imputed.")}


# --- tracer scores and the binding constraint --------------------------------------------------------------

def tracer_table(scores: pd.DataFrame) -> pd.DataFrame:
    """A country_scores frame ready to plot: lowest score first, with the area's short label and how the
    value was obtained. Grain: one row per tracer in use; columns tracer, label, area, area_label, score,
    imputed, status, how, description."""
    out = scores.assign(area_label=scores["area"].map(AREA_LABELS), label=scores["tracer"].map(SHORT_LABELS),
                        status=np.where(scores["imputed"].astype(bool), "imputed", "observed"))
    columns = ["tracer", "label", "area", "area_label", "score", "imputed", "status", "how", "description"]
    return out.sort_values(["score", "tracer"])[columns].reset_index(drop=True)


def constraint_sentence(scores: pd.DataFrame) -> str:
    """'The index is held down most by ...: hospital beds 9 per 10,000; raising it to 100 would add 4.1.'"""
    found = uhc.binding_constraint(scores)
    text = found.sentence[:1].upper() + found.sentence[1:]
    if found.gain_at_full <= 0:
        return text + "."
    return f"{text}; raising it to 100 would add {found.gain_at_full:.1f} to the index."


# --- what if ---------------------------------------------------------------------------------------------------

def _now(scores: pd.DataFrame) -> dict[str, int]:
    """Each tracer's score as its slider shows it (a whole number within 1-100)."""
    return {t: int(np.clip(round(s), FLOOR, CEILING)) for t, s in zip(scores["tracer"], scores["score"])}


def _read_moves(items, scores: pd.DataFrame) -> tuple[dict[str, int], list[str]]:
    moves, bad = {}, []
    for item in items:
        tracer, _, points = str(item).partition(":")
        try:
            value = int(points)
        except ValueError:
            value = None
        if tracer not in set(scores["tracer"]) or value is None or abs(value) > 99:
            bad.append(str(item))
        else:
            moves[tracer] = value
    return moves, bad


def parse_moves(items, scores: pd.DataFrame) -> dict[str, int]:
    """{tracer: points moved} from the link's `whatif` items such as 'dtp3:10' or 'anc4:-5'. A move is kept
    relative to the score now, so a link carries the same scenario to another country or year; items naming
    a tracer the country does not use, or a move beyond -99..99, are left out (see moves_note)."""
    return _read_moves(items, scores)[0]


def moves_note(items, scores: pd.DataFrame) -> list[str]:
    """The note shown when some of a link's what-if settings could not be read (none when all could)."""
    bad = _read_moves(items, scores)[1]
    if not bad:
        return []
    # Link text is repeated only in letters, digits and a few signs, so it cannot carry Markdown.
    shown = ", ".join("“" + "".join(ch for ch in b[:20] if ch.isalnum() or ch in ":-_.") + "”" for b in bad[:5])
    return [f"Ignored what-if setting{'s' if len(bad) > 1 else ''} {shown} in the link (expected tracer:points, "
            "e.g. dtp3:10)."]


def slider_rows(scores: pd.DataFrame, moves: dict[str, int]) -> pd.DataFrame:
    """One slider per tracer in official order: key, label, start (score now plus any move, within 1-100)
    and help (the value in words and how it was obtained)."""
    now = _now(scores)
    return pd.DataFrame({
        "tracer": scores["tracer"].to_numpy(),
        "label": [f"{SHORT_LABELS[t]} · now {now[t]}" for t in scores["tracer"]],
        "start": [int(np.clip(now[t] + moves.get(t, 0), FLOOR, CEILING)) for t in scores["tracer"]],
        "help": [f"{d} ({h})." for d, h in zip(scores["description"], scores["how"])],
    })


def changes(chosen: dict[str, int], scores: pd.DataFrame) -> dict[str, float]:
    """{tracer: new score} for the sliders moved away from the score now (dashboard.uhc.what_if's input)."""
    now = _now(scores)
    return {t: float(v) for t, v in chosen.items() if int(v) != now[t]}


def format_moves(new_scores: dict[str, float], scores: pd.DataFrame) -> list[str]:
    """The `whatif` link items of a scenario: 'dtp3:10' for DTP3 ten points above its score now."""
    now = _now(scores)
    return [f"{t}:{int(v) - now[t]}" for t, v in new_scores.items()]


def what_if_table(scores: pd.DataFrame, new_scores: dict[str, float]) -> pd.DataFrame:
    """The index and sub-indices now and in the scenario, both from dashboard.uhc.what_if.
    Grain: one row per measure; columns measure, label, now, scenario, change."""
    now, scenario = uhc.what_if(scores, {}), uhc.what_if(scores, new_scores)
    return pd.DataFrame({"measure": list(MEASURES), "label": list(MEASURES.values()),
                         "now": now[list(MEASURES)].to_numpy(), "scenario": scenario[list(MEASURES)].to_numpy(),
                         "change": (scenario - now)[list(MEASURES)].to_numpy()})


def metrics(table: pd.DataFrame) -> list[dict]:
    """st.metric arguments for each row of what_if_table: the scenario's value and its change."""
    labels = {"index": "UHC index", "rmnch": "RMNCH", "infectious": "Infectious", "ncd": "NCDs",
              "capacity": "Capacity"}
    return [{"label": labels[row.measure], "value": f"{row.scenario:.1f}",
             "delta": f"{row.change:+.1f}" if round(row.change, 1) else "no change",
             "delta_color": "normal" if round(row.change, 1) else "off",
             "delta_arrow": "auto" if round(row.change, 1) else "off",
             "help": f"{row.label}: {row.now:.1f} now, {row.scenario:.1f} in this scenario."}
            for row in table.itertuples()]


def gains(scores: pd.DataFrame, new_scores: dict[str, float], points: float = GAIN_POINTS) -> pd.DataFrame:
    """What raising each tracer by `points` would add to the index from the scenario's scores
    (dashboard.uhc.marginal_gains), largest first. Columns tracer, label, area, area_label, score, gain,
    sentence."""
    scenario = dict(zip(scores["tracer"], scores["score"]))
    scenario.update({t: float(np.clip(v, FLOOR, CEILING)) for t, v in new_scores.items()})
    out = uhc.marginal_gains(scenario, points=points)
    out["area_label"], out["label"] = out["area"].map(AREA_LABELS), out["tracer"].map(SHORT_LABELS)
    return out[["tracer", "label", "area", "area_label", "score", "gain", "sentence"]]


def first_sentence(gains: pd.DataFrame) -> str:
    """The largest gain in words, as a sentence: 'Raising ITN use by 10 points adds 1.5 to the index.'"""
    text = gains["sentence"].iloc[0]
    return text[:1].upper() + text[1:] + "."


# --- subgroups ---------------------------------------------------------------------------------------------------

def subgroup_codes() -> list[str]:
    """Indicator codes that can supply a tracer (what coverage/tracer_subgroups_by_year is asked for)."""
    return sorted(set(catalogue.uhc_tracers()["indicator_code"]))


def subgroup_results(rows: pd.DataFrame) -> pd.DataFrame:
    """dashboard.uhc.subgroups.subgroup_indices over coverage/tracer_subgroups_by_year rows."""
    return subgroups.subgroup_indices(subgroups.subgroup_inputs(rows, catalogue.uhc_tracers()))


def subgroup_table(results: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension's subgroups at its latest survey year with a value: the index when every subgroup has
    it, else the RMNCH sub-index, so subgroups compare like with like. Quintiles stay in order, other
    subgroups go lowest first. Columns subgroup, subgroup_order, year, measure, measure_label, value,
    indicator_code (the computed national series of that measure), tracers_used, tracers_held,
    source_codes."""
    columns = ["subgroup", "subgroup_order", "year", "measure", "measure_label", "indicator_code", "value",
               "tracers_used", "tracers_held", "source_codes"]
    chosen = results[results["dimension"] == dimension]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    latest = chosen[chosen["year"] == chosen["year"].max()]
    measure = "index" if latest["index"].notna().all() else "rmnch"
    latest = latest[latest[measure].notna()]
    ordered = latest["subgroup_order"].notna().all()
    latest = latest.sort_values("subgroup_order" if ordered else measure)
    return latest.assign(
        measure=measure, measure_label=MEASURES[measure], indicator_code=uhc_warehouse.CODES[measure],
        value=latest[measure], tracers_used=latest["tracers_held"] if measure == "index" else ", ".join(subgroups.RMNCH),
    )[columns].reset_index(drop=True)


def _labels(keys: str) -> str:
    return ", ".join(uhc.tracers.in_sentence(TRACER_BY_KEY[k].label) for k in keys.split(", ") if k)


def subgroup_caption(table: pd.DataFrame, dimension_label: str) -> str:
    """Which tracers the subgroup values rest on, and which others the survey held by subgroup."""
    used = table["tracers_used"].iloc[0]
    held = [k for k in table["tracers_held"].iloc[0].split(", ") if k not in used.split(", ")]
    measure = table["measure"].iloc[0]
    text = (f"{MEASURES[measure]} by {dimension_label.lower()}, survey of {int(table['year'].iloc[0])}, computed "
            f"with dashboard.uhc from the subgroup values of {_labels(used)}.")
    if measure == "rmnch":
        text += (" Not every tracer is measured by subgroup, so the whole index cannot be computed; as the "
                 "SDG 3.8.1 metadata recommends, the RMNCH sub-index stands in for it.")
    if held:
        text += f" Also held by subgroup but not enough to complete another area: {_labels(', '.join(held))}."
    return text


def subgroup_options(table: pd.DataFrame, series: pd.DataFrame, name: str, by: str) -> dict:
    """Keyword arguments of charts.coverage.subgroup_dots for a subgroup_table of dimension `by`."""
    measure, survey = table["measure"].iloc[0], int(table["year"].iloc[0])
    return {"title": f"{name}: {MEASURES[measure]} by {DIMENSION_LABELS[by].lower()}, {survey}",
            "subtitle": "Dashed line: the national value computed from national tracers that year.",
            "reference": national_reference(series, measure, survey), "reference_label": f"National, {survey}"}


def national_reference(series: pd.DataFrame, measure: str, year: int) -> float | None:
    """The country's computed `measure` in `year` (from index_series), the subgroup chart's reference line."""
    row = series[(series["measure"] == measure) & (series["kind"] == COMPUTED) & (series["year"] == year)]
    return None if row.empty else float(row["value"].iloc[0])


# --- care cascades ------------------------------------------------------------------------------------------------

def cascade_codes(definitions: pd.DataFrame | None = None) -> list[str]:
    """The indicator codes the cascades draw on (what coverage/cascade_values_by_indicator_year is asked for);
    `definitions` defaults to catalogue.cascades()."""
    definitions = catalogue.cascades() if definitions is None else definitions
    return sorted(definitions["indicator_code"].dropna().unique())


def cascade_levels(values: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    """Every step's level as a percentage of the cascade's population in need, for every year (and country,
    when `values` has iso3) that has the step: a base is 100; a share is the value as it is; a share of the
    previous step is that share of the previous level.

    `values` has indicator_code, year, estimate (and optionally iso3). Grain: one row per (iso3 x) year x
    cascade x step with a level; columns (iso3,) year, cascade, step, indicator_code, level, value.
    """
    keys = ["iso3", "year"] if "iso3" in values.columns else ["year"]
    wide = values.pivot_table(index=keys, columns="indicator_code", values="estimate", aggfunc="first")
    frames = []
    for cascade, steps in definitions.groupby("cascade", sort=False):
        previous = pd.Series(100.0, index=wide.index)
        for step in steps.sort_values("step").itertuples():
            code = step.indicator_code if isinstance(step.indicator_code, str) else None
            raw = wide[code] if code in wide.columns else pd.Series(np.nan, index=wide.index)
            if step.basis == "base":
                level = pd.Series(100.0, index=wide.index)
            elif step.basis == "share":
                level = raw.astype(float)
            elif step.basis == "share_of_previous":
                level = previous * raw.astype(float) / 100
            else:
                raise ValueError(f"cascades.csv: unknown basis {step.basis!r} of {cascade} step {step.step}")
            frames.append(wide.index.to_frame(index=False).assign(
                cascade=cascade, step=step.step, indicator_code=code, level=level.to_numpy(), value=raw.to_numpy()))
            previous = level
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=[*keys, "cascade", "step", "indicator_code", "level", "value"])
    return out[out["level"].notna()].reset_index(drop=True)


def cascade_table(values: pd.DataFrame, definitions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cascades of one country with the loss from each step to the next. `values` is
    coverage/cascade_values_by_indicator_year; `definitions` defaults to catalogue.cascades().

    A cascade is shown at the latest year with every step (a base's own indicator aside). Without such a
    year, each step that has a value is shown at its own latest year, a step never reported is left out,
    and `note` says so. Grain: one row per cascade x step shown; columns cascade, cascade_label, step, label,
    year (of the cascade), step_year (of the step's value), level, previous, loss, loss_label, level_label,
    indicator_code, value, description, note.
    """
    definitions = catalogue.cascades() if definitions is None else definitions
    levels = cascade_levels(values, definitions)
    wide = values.pivot_table(index="year", columns="indicator_code", values="estimate", aggfunc="first")
    meta = values.drop_duplicates("indicator_code").set_index("indicator_code")
    rows = []
    for cascade, steps in definitions.groupby("cascade", sort=False):
        steps = steps.sort_values("step")
        needed = steps.loc[steps["basis"] != "base", "step"]
        mine = levels[(levels["cascade"] == cascade) & levels["step"].isin(needed)]
        counts = mine.groupby("year")["step"].nunique()
        complete = counts[counts == len(needed)].index
        if mine.empty:
            continue
        picked, note, previous = {}, "", 100.0
        for step in steps.itertuples():
            code = step.indicator_code if isinstance(step.indicator_code, str) else None
            series = wide[code].dropna() if code in wide.columns else pd.Series(dtype=float)
            if len(complete):
                series = series[series.index == complete.max()]
            if step.basis != "base" and series.empty:
                note += f"{step.label} not reported. "
                continue
            value = float(series.iloc[-1]) if len(series) else np.nan
            at = int(series.index[-1]) if len(series) else None
            level = 100.0 if step.basis == "base" else value if step.basis == "share" else previous * value / 100
            picked[step.step] = (step, code, value, at, level)
            previous = level
        years_seen = sorted({at for _, _, _, at, _ in picked.values() if at is not None})
        if not len(complete) and len(years_seen) > 1:
            note += "Steps from different years: " + ", ".join(
                f"{s.label} {at}" for s, _, _, at, _ in picked.values() if at is not None) + "."
        previous = None
        for step, code, value, at, level in picked.values():
            loss = None if previous is None else previous - level
            rows.append({
                "cascade": cascade, "cascade_label": step.cascade_label, "step": step.step, "label": step.label,
                "year": int(complete.max()) if len(complete) else max(years_seen), "step_year": at, "level": level,
                "previous": previous, "loss": loss, "loss_label": _loss_label(loss), "level_label": f"{level:.0f}%",
                "indicator_code": code, "value": value, "description": _describe(code, value, meta, step.basis),
                "note": note.strip(),
            })
            previous = level
    columns = ["cascade", "cascade_label", "step", "label", "year", "step_year", "level", "previous", "loss",
               "loss_label", "level_label", "indicator_code", "value", "description", "note"]
    return pd.DataFrame(rows, columns=columns)


def _loss_label(loss: float | None) -> str | None:
    """'−14 pts' for people lost since the step before; '+3 pts' when a step exceeds it (possible with real
    data from different sources or years)."""
    if loss is None:
        return None
    if abs(loss) < 0.5:
        return "no loss"
    return f"−{loss:.0f} pts" if loss > 0 else f"+{-loss:.0f} pts"


def _describe(code, value, meta: pd.DataFrame, basis: str) -> str:
    if code is None or pd.isna(value) or code not in meta.index:
        return "the population in need"
    row = meta.loc[code]
    places = int(row["decimals"]) if pd.notna(row["decimals"]) else 1
    unit = row["unit"] if isinstance(row["unit"], str) else ""
    number = quantity(f"{value:,.{places}f}", unit)
    return f"{row['short_name']} {number}" + (" of those treated" if basis == "share_of_previous" else "")


def cascade_note(table: pd.DataFrame, year: int, definitions: pd.DataFrame | None = None) -> str:
    """Which cascades are shown and from which year, what is missing from them, and which have no data."""
    definitions = catalogue.cascades() if definitions is None else definitions
    shown = table.drop_duplicates("cascade")
    parts = [f"{row.cascade_label.split(' (')[0]} {row.year}" + (f" ({row.note.rstrip('.')})" if row.note else "")
             for row in shown.itertuples()]
    missing = [label.split(" (")[0].lower() for cascade, label in
               definitions.drop_duplicates("cascade")[["cascade", "cascade_label"]].itertuples(index=False)
               if cascade not in set(shown["cascade"])]
    text = (f"Each cascade at its latest year at or before {year} with every step: " + "; ".join(parts) + ". "
            "Bars: people reaching each step, as a percentage of those in need; above each bar, the loss from "
            "the step before.")
    if missing:
        text += f" No data for {', '.join(missing)}."
    return text


# --- financial protection ----------------------------------------------------------------------------------------

def peer_table(rows: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """coverage/index_against_indicator_by_country rows with each country's group relative to the chosen
    one (GROUPS) and the WHO region's name; the chosen country last so it is drawn on top."""
    home = rows[rows["iso3"] == iso3]
    region = home["who_region"].iloc[0] if not home.empty else None
    income = home["income_group"].iloc[0] if not home.empty else None
    same_region, same_income = rows["who_region"].eq(region), rows["income_group"].eq(income)
    group = np.select([rows["iso3"].eq(iso3), same_region & same_income, same_region, same_income],
                      list(GROUPS[:4]), default=GROUPS[4])
    out = rows.assign(group=group, is_selected=rows["iso3"].eq(iso3),
                      region_name=rows["who_region"].map(catalogue.who_region_name))
    return out.sort_values(["is_selected", "group"], key=lambda s: s if s.name == "is_selected" else
                           s.map({g: -i for i, g in enumerate(GROUPS)})).reset_index(drop=True)


def medians(table: pd.DataFrame) -> tuple[float, float]:
    """(median x value, median index) across the countries shown: the quadrant lines."""
    return float(table["value"].median()), float(table["uhc_index"].median())


def scatter_options(code: str, table: pd.DataFrame, year: int) -> dict:
    """Keyword arguments of charts.coverage.index_scatter for the PROTECTION indicator `code`."""
    options = PROTECTION[code]
    x_median, y_median = medians(table)
    return {"title": options["title"], "subtitle": f"Each country at its latest value at or before {year}, with its "
                                                   "index that year.", "x_title": options["x_title"],
            "x_format": options["x_format"], "log_x": options["log_x"], "quadrants": options["quadrants"],
            "x_median": x_median, "y_median": y_median}


def no_peers_message(code: str, year: int) -> str:
    """The empty state of a PROTECTION chart."""
    return f"No country has {PROTECTION[code]['words']} at or before {year} in a year with an index."


def position_sentence(table: pd.DataFrame, iso3: str, name: str, code: str) -> str:
    """Where the chosen country sits against the two medians, in words (or why it is not shown)."""
    options = PROTECTION[code]
    row = table[table["iso3"] == iso3]
    if row.empty:
        return f"{name} has no {options['words']} value in a year with an index, so it is not shown."
    x_median, y_median = medians(table)
    row = row.iloc[0]
    coverage = "above" if row["uhc_index"] >= y_median else "below"
    side = "above" if row["value"] >= x_median else "below"
    verdict = ""
    if options["worse"] and (coverage == "above") == (side == "below"):
        verdict = (": better than the typical country on both halves of SDG 3.8" if coverage == "above"
                   else ": worse than the typical country on both halves of SDG 3.8")
    value, median = options["value"].format(row["value"]), options["value"].format(x_median)
    return (f"{name} ({int(row['year'])}): index {row['uhc_index']:.0f}, {coverage} the median of {y_median:.0f}; "
            f"{options['words']} {value}, {side} the median of {median}{verdict}.")
