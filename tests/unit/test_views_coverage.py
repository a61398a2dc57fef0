"""Coverage & quality page views: pure functions pinned with hand-computed constants."""

import math

import pandas as pd
import pytest

from dashboard import contract
from dashboard.uhc.tracers import TRACER_KEYS, TRACERS
from dashboard.views import coverage as view

FLAT = 64.0  # every tracer at 64: the index and every sub-index are 64


def scores_frame(values: dict[str, float] | None = None, imputed=()) -> pd.DataFrame:
    """A country_scores-shaped frame: every tracer at FLAT unless `values` says otherwise."""
    values = values or {}
    return pd.DataFrame({
        "tracer": list(TRACER_KEYS), "area": [t.area for t in TRACERS], "label": [t.label for t in TRACERS],
        "score": [values.get(t, FLAT) for t in TRACER_KEYS], "imputed": [t in imputed for t in TRACER_KEYS],
        "how": ["carried forward" if t in imputed else "observed" for t in TRACER_KEYS],
        "description": [f"{t} value" for t in TRACER_KEYS],
    })


def test_index_series_names_each_code_as_measure_and_kind():
    rows = pd.DataFrame({
        "indicator_code": ["UHC_INDEX_COMPUTED", "UHC_INDEX_REPORTED", "UHC_SCI_NCD_COMPUTED", "OTHER"],
        "year": [2020, 2019, 2020, 2020], "estimate": [55.5, 56.0, 48.0, 1.0],
        "flag": ["imputed: 2 of 14 tracers", None, None, None], "source_code": ["COMPUTED_UHC", "WHO_GHO", "X", "Y"],
    })
    out = view.index_series(rows)
    assert list(zip(out["measure"], out["kind"], out["year"], out["value"])) == [
        ("index", view.COMPUTED, 2020, 55.5), ("index", view.PUBLISHED, 2019, 56.0), ("ncd", view.COMPUTED, 2020, 48.0)]
    assert out["panel"].tolist()[2] == "Noncommunicable diseases"


def test_years_come_from_the_computed_index_and_default_to_the_latest_published_round():
    rows = pd.DataFrame({"indicator_code": ["UHC_INDEX_COMPUTED"] * 3 + ["UHC_INDEX_REPORTED"],
                         "year": [2021, 2022, 2023, 2021]})
    assert view.years(rows, range(2000, 2002)) == [2021, 2022, 2023]
    assert view.default_year(rows, range(2000, 2002)) == 2021
    assert view.default_year(rows.head(3), range(2000, 2002)) == 2023
    assert view.years(rows.head(0), range(2000, 2002)) == [2000, 2001]


def test_tracer_table_puts_the_lowest_first_and_marks_imputed_scores():
    out = view.tracer_table(scores_frame({"itn": 20.0, "dtp3": 90.0}, imputed=("itn",)))
    assert out["tracer"].iloc[0] == "itn" and out["tracer"].iloc[-1] == "dtp3"
    assert out.set_index("tracer").loc["itn", "status"] == "imputed"
    assert out.set_index("tracer").loc["itn", "label"] == "ITN use"
    assert out.set_index("tracer").loc["dtp3", "area_label"] == "RMNCH"


def test_constraint_sentence_names_the_tracer_and_what_full_coverage_would_add():
    text = view.constraint_sentence(scores_frame({"hospital_beds_per_10k": 40.0}))
    # The index is 64 x (40 / 64) ** (1 / 12) = 61.54; beds at 100 multiply it by (100 / 40) ** (1 / 12):
    # 61.54 x 0.0793 = 4.88.
    assert text == ("The index is held down most by service capacity and access: hospital_beds_per_10k value; "
                    "raising it to 100 would add 4.9 to the index.")


def test_moves_read_from_a_link_skip_what_cannot_be_used():
    frame = scores_frame()
    items = ["dtp3:10", "anc4:-5", "itn:x", "nope:3", "art:150", "art"]
    assert view.parse_moves(items, frame) == {"dtp3": 10, "anc4": -5}
    note = view.moves_note(items, frame)[0]
    assert note.startswith("Ignored what-if settings “itn:x”, “nope:3”, “art:150”, “art”")
    assert view.moves_note(["dtp3:10"], frame) == []
    assert view.moves_note(["**bold**:1"], frame) == [
        "Ignored what-if setting “bold:1” in the link (expected tracer:points, e.g. dtp3:10)."]


def test_sliders_start_at_the_score_now_plus_the_move_and_write_the_move_back():
    frame = scores_frame({"dtp3": 84.6, "itn": 3.0})
    sliders = view.slider_rows(frame, {"dtp3": 10, "itn": -5}).set_index("tracer")
    assert sliders.loc["dtp3", "start"] == 95 and sliders.loc["itn", "start"] == 1  # held within 1-100
    assert sliders.loc["dtp3", "label"] == "DTP3 immunization · now 85"
    chosen = dict(zip(sliders.index, sliders["start"]))
    assert view.changes(chosen, frame) == {"dtp3": 95.0, "itn": 1.0}
    assert view.format_moves(view.changes(chosen, frame), frame) == ["dtp3:10", "itn:-2"]
    assert view.changes({"dtp3": 85}, frame) == {}  # a slider left where it was is no move


def test_what_if_table_and_metrics_follow_the_geometric_means():
    table = view.what_if_table(scores_frame(), {"dtp3": 100.0}).set_index("measure")
    # RMNCH: (64^3 x 100)^(1/4) = 71.554; index: (71.554 x 64^3)^(1/4) = 65.810.
    assert table.loc["rmnch", "scenario"] == pytest.approx(71.554175, abs=1e-6)
    assert table.loc["index", "scenario"] == pytest.approx(65.810278, abs=1e-6)
    assert table.loc["index", "now"] == pytest.approx(FLAT)
    metrics = view.metrics(table.reset_index())
    assert metrics[0]["value"] == "65.8" and metrics[0]["delta"] == "+1.8"
    assert metrics[2]["delta"] == "no change" and metrics[2]["delta_color"] == "off"


def test_gains_come_from_the_scenario_scores():
    gains = view.gains(scores_frame(), {}, points=10).set_index("tracer")
    # An NCD tracer (one of three): 64 x ((74 / 64) ** (1 / 12) - 1) = 0.779.
    assert gains.loc["hypertension_treated", "gain"] == pytest.approx(0.779007, abs=1e-6)
    assert gains.loc["hypertension_treated", "label"] == "Hypertension treatment"
    moved = view.gains(scores_frame(), {"dtp3": 100.0}).set_index("tracer")
    assert moved.loc["dtp3", "gain"] == 0 and moved.loc["dtp3", "score"] == 100
    assert view.first_sentence(view.gains(scores_frame(), {})) == \
        "Raising treatment of hypertension by 10 points adds 0.8 to the index."


RESULTS = pd.DataFrame({
    "dimension": [contract.DIM_WEALTH] * 4 + [contract.DIM_RESIDENCE] * 2,
    "subgroup": ["Q1", "Q2", "Q1", "Q2", "Urban", "Rural"], "subgroup_order": [1, 2, 1, 2, None, None],
    "year": [2014, 2014, 2019, 2019, 2019, 2019], "index": [math.nan] * 6,
    "rmnch": [40.0, 50.0, 45.0, 55.0, 70.0, 50.0],
    "tracers_held": ["fp_demand_satisfied, anc4, dtp3, pneumonia_care, itn"] * 6, "source_codes": ["S"] * 6,
})


def test_subgroup_table_takes_the_latest_survey_and_keeps_quintiles_in_order():
    wealth = view.subgroup_table(RESULTS, contract.DIM_WEALTH)
    assert wealth["subgroup"].tolist() == ["Q1", "Q2"] and wealth["value"].tolist() == [45.0, 55.0]
    assert set(wealth["year"]) == {2019} and set(wealth["measure_label"]) == {"RMNCH sub-index"}
    residence = view.subgroup_table(RESULTS, contract.DIM_RESIDENCE)
    assert residence["subgroup"].tolist() == ["Rural", "Urban"]  # lowest first
    assert view.subgroup_table(RESULTS, contract.DIM_SUBNATIONAL).empty


def test_subgroup_caption_says_which_tracers_were_used_and_which_else_were_held():
    text = view.subgroup_caption(view.subgroup_table(RESULTS, contract.DIM_WEALTH), "Wealth quintile")
    assert text.startswith("RMNCH sub-index by wealth quintile, survey of 2019, computed with dashboard.uhc from "
                           "the subgroup values of family planning demand satisfied with modern methods, antenatal "
                           "care, 4+ visits, DTP3 immunization, care-seeking for suspected pneumonia.")
    assert "the RMNCH sub-index stands in for it" in text
    assert text.endswith("Also held by subgroup but not enough to complete another area: insecticide-treated net use.")


CASCADES = pd.DataFrame({
    "cascade": ["htn"] * 4 + ["tb"] * 3 + ["imm"] * 4,
    "cascade_label": ["Hypertension"] * 4 + ["Tuberculosis"] * 3 + ["Immunisation"] * 4,
    "step": [1, 2, 3, 4, 1, 2, 3, 1, 2, 3, 4],
    "indicator_code": ["PREV", "DIAG", "TREAT", "CTRL", "INC", "DET", "SUCC", None, "DTP1", "DTP3", "MCV2"],
    "label": ["With hypertension", "Diagnosed", "Treated", "Controlled", "Fell ill", "Notified", "Succeeded",
              "Infants", "DTP1", "DTP3", "MCV2"],
    "basis": ["base", "share", "share", "share", "base", "share", "share_of_previous", "base", "share", "share",
              "share"],
})


def labels(table: pd.DataFrame) -> list:
    return [None if pd.isna(label) else label for label in table["loss_label"]]


def cascade_values(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator_code", "year", "estimate"])
    return frame.assign(source_code="S", flag=None, short_name=frame["indicator_code"], unit="%", decimals=0)


def test_cascade_table_takes_the_latest_complete_year_and_labels_each_loss():
    values = cascade_values([
        ("PREV", 2020, 30.0), ("DIAG", 2020, 60.0), ("TREAT", 2020, 40.0), ("CTRL", 2020, 20.0),
        ("DIAG", 2021, 62.0), ("TREAT", 2021, 41.0),  # 2021 lacks control: not complete
        ("INC", 2021, 200.0), ("DET", 2021, 70.0), ("SUCC", 2021, 80.0),
    ])
    table = view.cascade_table(values, CASCADES)
    htn = table[table["cascade"] == "htn"]
    assert htn["year"].unique().tolist() == [2020]
    assert htn["level"].tolist() == [100.0, 60.0, 40.0, 20.0]
    assert labels(htn) == [None, "−40 pts", "−20 pts", "−20 pts"]
    tb = table[table["cascade"] == "tb"]
    assert tb["level"].tolist() == [100.0, 70.0, pytest.approx(56.0)]  # 80% success of the 70% treated
    assert tb["description"].iloc[2] == "SUCC 80% of those treated"
    assert "imm" not in set(table["cascade"])
    assert view.cascade_note(table, 2021, CASCADES).endswith("No data for immunisation.")


def test_a_cascade_without_a_complete_year_shows_each_step_at_its_own_year_and_says_so():
    values = cascade_values([("DTP3", 2022, 85.0), ("MCV2", 2023, 66.0)])
    table = view.cascade_table(values, CASCADES)
    assert table["label"].tolist() == ["Infants", "DTP3", "MCV2"]
    assert table["step_year"].isna().iloc[0] and table["step_year"].tolist()[1:] == [2022, 2023]
    assert table["note"].iloc[0] == "DTP1 not reported. Steps from different years: DTP3 2022, MCV2 2023."
    assert labels(table)[1:] == ["−15 pts", "−19 pts"]


def test_cascade_levels_cover_every_country_year():
    values = pd.DataFrame({"iso3": ["A", "A", "B"], "year": [2020, 2020, 2020],
                           "indicator_code": ["DET", "SUCC", "DET"], "estimate": [50.0, 90.0, 60.0]})
    levels = view.cascade_levels(values, CASCADES)
    tb = levels[levels["cascade"] == "tb"].set_index(["iso3", "step"])["level"]
    assert tb.to_dict() == {("A", 1): 100.0, ("A", 2): 50.0, ("A", 3): 45.0, ("B", 1): 100.0, ("B", 2): 60.0}


def test_a_step_above_the_one_before_is_labelled_as_a_gain():
    values = cascade_values([("DTP1", 2020, 80.0), ("DTP3", 2020, 83.0), ("MCV2", 2020, 83.2)])
    table = view.cascade_table(values, CASCADES)
    assert labels(table) == [None, "−20 pts", "+3 pts", "no loss"]


PEERS = pd.DataFrame({
    "iso3": ["KEN", "UGA", "TZA", "GHA", "NOR"], "name": ["Kenya", "Uganda", "Tanzania", "Ghana", "Norway"],
    "who_region": ["AFR", "AFR", "AFR", "AFR", "EUR"],
    "income_group": ["Lower middle income", "Low income", "Lower middle income", "Lower middle income", "High income"],
    "year": [2020, 2019, 2020, 2021, 2020], "value": [8.0, 12.0, 6.0, 5.0, 1.5],
    "uhc_index": [55.0, 45.0, 50.0, 48.0, 85.0], "source_code": ["S"] * 5, "index_source_code": ["C"] * 5,
})


def test_peer_table_groups_countries_around_the_chosen_one():
    table = view.peer_table(PEERS, "KEN").set_index("iso3")
    assert table.loc["KEN", "group"] == "Chosen country" and bool(table.loc["KEN", "is_selected"])
    assert table.loc["TZA", "group"] == "Same WHO region and income group"
    assert table.loc["UGA", "group"] == "Same WHO region"
    assert table.loc["NOR", "group"] == "Other countries"
    assert table.loc["KEN", "region_name"] == "African Region"
    assert view.peer_table(PEERS, "KEN")["iso3"].iloc[-1] == "KEN"  # drawn last, on top


def test_position_sentence_reads_the_two_halves_of_sdg_3_8():
    table = view.peer_table(PEERS, "KEN")
    text = view.position_sentence(table, "KEN", "Kenya", view.CATASTROPHIC)
    # Medians of the five: spending 6.0%, index 50.
    assert text == ("Kenya (2020): index 55, above the median of 50; catastrophic health spending 8.0% of people, "
                    "above the median of 6.0% of people.")
    norway = view.position_sentence(table, "NOR", "Norway", view.CATASTROPHIC)
    assert norway.endswith("below the median of 6.0% of people: better than the typical country on both halves "
                           "of SDG 3.8.")
    assert view.position_sentence(table, "ATL", "Atlantis", view.SPENDING) == \
        "Atlantis has no health spending per capita value in a year with an index, so it is not shown."
    options = view.scatter_options(view.SPENDING, table, 2022)
    assert options["log_x"] and options["x_median"] == 6.0 and options["y_median"] == 50.0
