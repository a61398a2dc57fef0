"""indicators/reference_medians_by_year: region and income-group medians, interior gaps interpolated."""

import pytest

from dashboard import db


def medians(fixture_db, codes, region, income, min_countries=1, min_share=0.0):
    frame = db.run(fixture_db.connection, "indicators/reference_medians_by_year", indicator_codes=list(codes),
                   who_region=region, income_group=income, min_countries=min_countries, min_share=min_share)
    return frame


def by_year(frame, reference):
    rows = frame[frame["reference"] == reference]
    return {int(y): (round(e, 4), int(c), int(o)) for y, e, c, o in
            zip(rows["year"], rows["estimate"], rows["countries"], rows["observed"])}


def test_region_median_pools_countries_with_their_gaps_interpolated(fixture_db):
    # AFR has KEN (2010 60, 2012 64, 2015 70) and UGA (2010 50, 2016 58); TZA has no value.
    frame = medians(fixture_db, ["FX.COV"], "AFR", "Lower middle income")
    assert by_year(frame, "who_region") == {
        2010: (55.0, 2, 2),       # (60 + 50) / 2, both observed
        2011: (56.6667, 2, 0),    # KEN 62 and UGA 51.33, both interpolated
        2012: (58.3333, 2, 1),    # KEN 64 observed, UGA 52.67 interpolated
        2013: (60.0, 2, 0),
        2014: (61.6667, 2, 0),
        2015: (63.3333, 2, 1),    # KEN 70, UGA 56.67
        2016: (58.0, 1, 1),       # KEN is not extrapolated past its last year
    }
    assert set(frame.loc[frame["reference"] == "who_region", "reference_group"]) == {"AFR"}


def test_income_group_median_spans_regions(fixture_db):
    # Lower middle income: KEN (AFR) and IND (SEAR, 2014 only); TZA has no value.
    frame = medians(fixture_db, ["FX.COV"], "AFR", "Lower middle income")
    groups = by_year(frame, "income_group")
    assert groups[2014] == (74.0, 2, 1)  # KEN 68 interpolated, IND 80 observed
    assert groups[2010] == (60.0, 1, 1) and groups[2015] == (70.0, 1, 1)
    assert sorted(groups) == list(range(2010, 2016))


def test_null_group_gives_no_rows_for_that_reference(fixture_db):
    frame = medians(fixture_db, ["FX.COV"], "EUR", None)
    assert set(frame["reference"]) == {"who_region"}
    assert frame[["year", "estimate", "countries"]].values.tolist() == [[2015, 95.0, 1]]  # NOR, CI null or not


def test_adverse_indicator_and_empty_list_means_every_indicator(fixture_db):
    frame = medians(fixture_db, [], "AFR", None)
    mort = frame[frame["indicator_code"] == "FX.MORT"].set_index("year")["estimate"]
    assert mort.to_dict() == pytest.approx({2010: 50.0, 2011: 48.0, 2012: 46.0, 2013: 44.0, 2014: 42.0,
                                            2015: 50.0})  # KEN 40 and UGA 60 in 2015
    assert set(frame["indicator_code"]) == {"FX.COV", "FX.MORT", "FX.SYN"}


def test_years_where_too_few_countries_report_are_left_out(fixture_db):
    # AFR: KEN and UGA report FX.COV; in 2016 only UGA's value is pooled (KEN's series ended in 2015).
    everything = by_year(medians(fixture_db, ["FX.COV"], "AFR", None), "who_region")
    assert everything[2016] == (58.0, 1, 1)
    by_share = by_year(medians(fixture_db, ["FX.COV"], "AFR", None, min_share=0.6), "who_region")
    assert sorted(by_share) == list(range(2010, 2016))  # 1 of 2 reporting countries < 60 %
    assert by_share[2015] == everything[2015]
    frame = medians(fixture_db, ["FX.COV"], "AFR", None, min_share=0.6)
    assert set(frame["reporting"]) == {2}
    by_count = by_year(medians(fixture_db, ["FX.COV"], "AFR", None, min_countries=3), "who_region")
    assert by_count == {}
