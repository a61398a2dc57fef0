"""capacity/*: disclosure control in SQL (threshold, complementary, differencing), each rule with a
constructed case that would leak without it, and the statistics that are shown, to the decimal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import capacity, db
from tests.fixtures import capacity as cx

T = 10


@pytest.fixture(scope="module")
def cx_db(tmp_path_factory):
    return db.open_read_only(cx.build_capacity_fixture(tmp_path_factory.mktemp("capacity")))


def summary(cx_db, by=(), iso3=(), survey=cx.LATER, threshold=T):
    return db.run(cx_db.connection, "capacity/summary_by_group", survey_code=survey, iso3_codes=list(iso3),
                  by_fields=list(by), threshold=threshold)


def expected_means(indices):
    return (np.mean([cx.asset(i) + (1 if i % 5 < 4 else 0) for i in indices]),
            np.mean([cx.need(i) for i in indices]))


def cell(frame, level="individual"):
    """The total of one level in a summary."""
    rows = frame[(frame["level"] == level) & frame["is_total"]]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_totals_are_respondent_means_to_the_decimal(cx_db):
    frame = summary(cx_db)
    assert frame["is_total"].all() and len(frame) == 3
    row = cell(frame)
    mean_asset, mean_need = expected_means(range(105))
    assert (row["n"], row["competency"]) == (105, "Ethics")
    assert row["mean_asset"] == pytest.approx(mean_asset) and row["mean_need"] == pytest.approx(mean_need)
    assert row["gap"] == pytest.approx(mean_need - mean_asset)
    assert not row["suppressed"]
    assert pd.isna(cell(frame, level="network")["mean_need"])  # I3 is asked as asset only


def test_a_group_under_the_threshold_and_its_complement_are_suppressed(cx_db):
    """Development partner has 4: alone hidden, total minus the other three would give it, so the next
    smallest (NGO, 11) goes too; University and Ministry stay, with their exact means."""
    frame = summary(cx_db, by=["organisation_type"])
    rows = frame[(frame["level"] == "individual") & ~frame["is_total"]].set_index("organisation_type")
    assert rows["suppressed"].to_dict() == {"Development partner": True, "Ministry of health": False,
                                            "NGO / civil society": True, "University": False}
    assert rows.loc[["Development partner", "NGO / civil society"], ["n", "mean_asset", "mean_need", "gap"]] \
        .isna().all().all()
    assert rows.loc["University", "n"] == 60
    assert rows.loc["University", "mean_asset"] == pytest.approx(expected_means(range(60))[0])
    assert rows.loc["Ministry of health", "mean_need"] == pytest.approx(expected_means(range(60, 90))[1])
    # Without the complement the total and the three shown groups would give Development partner's mean:
    total = cell(frame)
    shown = rows[~rows["suppressed"]]
    hidden_n = total["n"] - shown["n"].sum()
    assert hidden_n == 15 >= T  # what subtraction yields is two groups together, at least the threshold


def test_two_small_groups_holding_fewer_than_the_threshold_take_a_third(cx_db):
    """Early (3) and Mid career (4) hold 7 together, still under 10: the next smallest, (not stated) 8, goes."""
    frame = summary(cx_db, by=["career_stage"])
    rows = frame[(frame["level"] == "individual") & ~frame["is_total"]].set_index("career_stage")
    assert rows["suppressed"].to_dict() == {"(not stated)": True, "Early career": True, "Mid career": True,
                                            "Senior": False}
    assert rows.loc["Senior", "n"] == 90


def test_a_country_view_differing_from_all_countries_by_a_few_is_suppressed(cx_db):
    """KEN + TZA + GHA have 102 of 105: shown beside the all-countries total it would give UGA's 3."""
    everyone = cell(summary(cx_db))
    assert not everyone["suppressed"] and everyone["n"] == 105
    without_uga = cell(summary(cx_db, iso3=["KEN", "TZA", "GHA"]))
    assert without_uga["suppressed"] and pd.isna(without_uga["n"]) and pd.isna(without_uga["mean_asset"])


def test_two_country_selections_cannot_differ_by_a_small_country(cx_db):
    """KEN alone (50) is shown; KEN + UGA (53) would give UGA's 3 by difference, so it is suppressed."""
    kenya = cell(summary(cx_db, iso3=["KEN"]))
    assert not kenya["suppressed"] and kenya["n"] == 50
    assert kenya["mean_asset"] == pytest.approx(expected_means(range(50))[0])
    assert cell(summary(cx_db, iso3=["KEN", "UGA"]))["suppressed"]
    assert not cell(summary(cx_db, iso3=["KEN", "TZA"]))["suppressed"]


def test_a_suppressed_total_hides_its_whole_breakdown(cx_db):
    frame = summary(cx_db, by=["gender"], iso3=["KEN", "TZA", "GHA"])
    assert frame["suppressed"].all() and frame["n"].isna().all()


def test_every_row_stays_with_suppressed_rows_empty(cx_db):
    frame = summary(cx_db, by=["country"])
    rows = frame[(frame["level"] == "individual") & ~frame["is_total"]].set_index("country")
    # UGA (3) and the next smallest, GHA (12), are hidden; KEN and TZA are shown.
    assert rows["suppressed"].to_dict() == {"GHA": True, "KEN": False, "TZA": False, "UGA": True}
    assert rows.loc[["GHA", "UGA"], ["n", "mean_asset", "mean_need", "gap"]].isna().all().all()


def test_threshold_is_a_parameter_not_a_constant(cx_db):
    frame = summary(cx_db, by=["country"], threshold=3)
    rows = frame[(frame["level"] == "individual") & ~frame["is_total"]].set_index("country")
    assert not rows["suppressed"].any() and rows.loc["UGA", "n"] == 3


def test_unknown_breakdown_fields_are_refused_before_sql():
    with pytest.raises(capacity.CapacityError, match="--by sex; drop table: not a breakdown field; allowed: "):
        capacity.check_by(["gender", "sex; drop table"])


def test_distribution_counts_answers_and_hides_small_groups(cx_db):
    frame = db.run(cx_db.connection, "capacity/distribution_by_group", survey_code=cx.LATER, iso3_codes=[],
                   by_fields=["organisation_type"], item_code="I1", threshold=T)
    total = frame[frame["is_total"] & (frame["kind"] == "need")].set_index("score")["answers"].to_dict()
    needs = pd.Series([cx.need(i) for i in range(105)]).value_counts().to_dict()
    assert total == needs
    partner = frame[frame["organisation_type"] == "Development partner"]
    assert partner["suppressed"].all() and partner["answers"].isna().all() and len(partner) == 2


def test_change_between_rounds_per_item(cx_db):
    frame = db.run(cx_db.connection, "capacity/change_by_item", survey_code=cx.LATER, previous_code=cx.EARLIER,
                   iso3_codes=[], threshold=T).set_index("item_code")
    assert list(frame.index) == ["I1", "I2", "I3"]
    before = np.mean([cx.asset(i) for i in range(102)])
    assert frame.loc["I1", "asset_before"] == pytest.approx(before)
    assert frame.loc["I1", "asset_change"] == pytest.approx(expected_means(range(105))[0] - before)
    assert (frame["n_before"] == 102).all() and (frame["n_after"] == 105).all()


def test_country_profile_snapshot_uses_the_same_rule(cx_db):
    run = lambda iso3: db.run(cx_db.connection, "profile/capacity_summary_by_level", iso3=iso3,  # noqa: E731
                              survey_code=cx.LATER, min_respondents=T)
    assert run("KEN")["respondents"].tolist() == [50, 50, 50]
    assert run("UGA").empty and run("GHA").shape[0] == 3  # GHA alone has 12: shown as its own total
    counts = db.run(cx_db.connection, "profile/capacity_respondents_by_survey", iso3="UGA", threshold=T)
    assert counts["respondents"].isna().all() and len(counts) == 1  # UGA answered the later round only


def test_no_app_query_reads_survey_answers_but_through_capacity_cells():
    from dashboard import sql

    # About the data counts each source's stored answers (a size of the whole source, not of a group).
    for name in set(sql.all_names()) - {"sources/inventory_by_source"}:
        text = sql._NOT_CODE.sub(" ", sql.load(name).text)
        if "survey_response" in text or "survey_respondent" in text and "capacity_cells" not in text:
            assert "capacity_cells" in text and "survey_response" not in text, name


def test_no_app_query_reads_organisation_names():
    from dashboard import sql

    assert not [name for name in sql.all_names() if "organisation_name" in sql.load(name).text]
    assert "organisation_name" not in (sql.load.__wrapped__("capacity/summary_by_group").text)
