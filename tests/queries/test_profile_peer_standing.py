"""profile/peer_standing_by_indicator_group: direction-aware share of WHO-region and income-group peers beaten."""

import pandas as pd
import pytest

from dashboard import build, db
from dashboard.sources import imports
from tests.fixtures.warehouse import REAL, _indicator, _source, value


def standing(warehouse, iso3):
    frame = db.run(warehouse.connection, "profile/peer_standing_by_indicator_group", iso3=iso3)
    return {(r.indicator_code, r.peer_group): (r.peers, r.beaten, r.tied, r.percentile)
            for r in frame.itertuples()}


def test_fixture_kenya_beats_uganda_as_it_was_then_and_trails_india(fixture_db):
    rows = standing(fixture_db, "KEN")
    # FX.COV: KEN 2015 70.0. Its AFR peer UGA counts with 2010 50.0 (its 2016 value is after KEN's year);
    # its lower-middle-income peer IND has 80.0 (2014). TZA, also a peer, has no value and is not counted.
    assert rows[("FX.COV", "who_region")] == (1, 1, 0, 100.0)
    assert rows[("FX.COV", "income_group")] == (1, 0, 0, 0.0)
    # FX.MORT is adverse: KEN's 40 beats UGA's 60. No lower-middle-income peer has a value: no row.
    assert rows[("FX.MORT", "who_region")] == (1, 1, 0, 100.0)
    assert ("FX.MORT", "income_group") not in rows
    assert rows[("FX.SYN", "who_region")] == (1, 1, 0, 100.0)
    assert len(rows) == 4


def test_fixture_uganda_compared_at_its_own_latest_year(fixture_db):
    rows = standing(fixture_db, "UGA")
    # UGA FX.COV 2016 58.0 against KEN's latest at or before 2016 (2015 70.0); adverse FX.MORT 60 vs 40.
    assert rows[("FX.COV", "who_region")] == (1, 0, 0, 0.0)
    assert rows[("FX.MORT", "who_region")] == (1, 0, 0, 0.0)


def test_fixture_country_without_peer_values_or_own_value_has_no_rows(fixture_db):
    assert standing(fixture_db, "NOR") == {}  # no other European or high-income country has a value
    assert standing(fixture_db, "TZA") == {}  # no value of its own


@pytest.fixture(scope="module")
def ties_db(tmp_path_factory):
    """A warehouse with ties, a later peer value and a peer with only a later value."""
    directory = tmp_path_factory.mktemp("peer_ties")
    indicators = pd.DataFrame([
        _indicator("PX.FAV", "Peer favourable", "%", 100, True, "Service delivery", "coverage", REAL),
        _indicator("PX.ADV", "Peer adverse", "per 1,000 live births", 1000, False, "Outcomes", "outcome", REAL),
    ])
    rows = [value("PX.FAV", iso3, year, estimate) for iso3, year, estimate in [
        ("KEN", 2020, 50.0), ("UGA", 2020, 50.0), ("RWA", 2018, 50.0), ("TZA", 2020, 40.0),
        ("ETH", 2020, 60.0), ("ETH", 2021, 10.0), ("GHA", 2022, 0.0)]]
    rows += [value("PX.ADV", iso3, 2020, estimate) for iso3, estimate in [
        ("NOR", 2.0), ("SWE", 3.0), ("DEU", 3.0), ("FRA", 5.0)]]
    store = directory / "imports"
    imports.write(imports.ImportSet(source=_source(REAL, False), tables={
        "dim_indicator": indicators, "fct_indicator_value": pd.DataFrame(rows)}), store)
    target = directory / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    return db.open_read_only(target)


def test_ties_count_half(ties_db):
    rows = standing(ties_db, "KEN")
    # AFR peers with a value by 2020: UGA 50 (tie), RWA 50 (tie, 2018), TZA 40 (beaten), ETH 60 (2020 value,
    # not its later 10). GHA's only value is from 2022 and does not count. (1 + 2 x 0.5) / 4 = 50 %.
    assert rows[("PX.FAV", "who_region")] == (4, 1, 2, 50.0)
    # Lower-middle-income peers with a value by 2020: TZA only.
    assert rows[("PX.FAV", "income_group")] == (1, 1, 0, 100.0)


def test_adverse_indicator_lowest_is_best(ties_db):
    assert standing(ties_db, "NOR")[("PX.ADV", "who_region")] == (3, 3, 0, 100.0)
    assert standing(ties_db, "FRA")[("PX.ADV", "income_group")] == (3, 0, 0, 0.0)
    # SWE 3: beats FRA 5, ties DEU 3, trails NOR 2 -> (1 + 0.5) / 3
    peers, beaten, tied, percentile = standing(ties_db, "SWE")[("PX.ADV", "income_group")]
    assert (peers, beaten, tied) == (3, 1, 1) and percentile == pytest.approx(50.0)
