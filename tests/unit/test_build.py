"""Build: checks fail the build with named checks and rows; a failed build leaves the old file intact."""

import hashlib

import pandas as pd
import pytest

from dashboard import build, db
from dashboard.sources import imports
from tests.fixtures.warehouse import REAL, real_import, value


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store_and_target(tmp_path):
    store = tmp_path / "imports"
    imports.write(real_import(), store)
    target = tmp_path / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    return store, target


def add_bad_values(store, *rows):
    bad = real_import()
    bad.tables["fct_indicator_value"] = pd.concat(
        [bad.tables["fct_indicator_value"], pd.DataFrame(list(rows))], ignore_index=True)
    imports.write(bad, store)


def test_build_fails_on_out_of_range_value_and_keeps_previous_file(store_and_target):
    store, target = store_and_target
    before = digest(target)
    add_bad_values(store, value("FX.COV", "TZA", 2015, 140.0))
    with pytest.raises(build.BuildError) as failure:
        build.build(target=target, demo_scale=None, imports_dir=store)
    message = str(failure.value)
    assert "fct_estimate_within_plausible_range" in message and "TZA" in message and "140" in message
    assert digest(target) == before
    expected = len(real_import().tables["fct_indicator_value"])
    assert db.open_read_only(target).meta["row_counts"]["fct_indicator_value"] == expected == 19
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_build_fails_on_ci_that_does_not_bracket_estimate(store_and_target):
    store, target = store_and_target
    row = value("FX.COV", "TZA", 2015, 50.0)
    row["ci_lower"], row["ci_upper"] = 55.0, 60.0
    add_bad_values(store, row)
    with pytest.raises(build.BuildError, match="fct_ci_brackets_estimate"):
        build.build(target=target, demo_scale=None, imports_dir=store)


def test_build_fails_on_duplicate_key_and_unknown_country(store_and_target):
    store, target = store_and_target
    add_bad_values(store, value("FX.COV", "KEN", 2010, 61.0), value("FX.COV", "XXX", 2010, 61.0))
    with pytest.raises(build.BuildError) as failure:
        build.build(target=target, demo_scale=None, imports_dir=store)
    assert "fct_key_is_unique" in str(failure.value) and "fct_codes_in_dimensions" in str(failure.value)
    assert "XXX" in str(failure.value)


def test_interrupted_build_leaves_previous_file_and_no_temporary(store_and_target, monkeypatch):
    store, target = store_and_target
    before = digest(target)

    def interrupted(connection):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "run_checks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build.build(target=target, demo_scale=None, imports_dir=store)
    assert digest(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [".warehouse.build.lock", "imports", "warehouse.duckdb"]


def test_a_killed_builds_temporaries_are_removed_by_the_next_build(store_and_target):
    store, target = store_and_target
    stale = [target.with_name(".warehouse-0badc0de.duckdb.tmp"), target.with_name(".warehouse-0badc0de.duckdb.tmp.wal")]
    for path in stale:
        path.write_bytes(b"half a warehouse")
    said = []
    build.build(target=target, demo_scale=None, imports_dir=store, progress=said.append)
    assert not any(path.exists() for path in stale)
    assert "removing .warehouse-0badc0de.duckdb.tmp, left by an interrupted build" in said


def test_a_second_build_of_the_same_file_is_refused_while_one_runs(store_and_target):
    import fcntl
    store, target = store_and_target
    before = digest(target)
    with open(target.with_name(".warehouse.build.lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        with pytest.raises(build.BuildError, match="another build of .* is running"):
            build.build(target=target, demo_scale=None, imports_dir=store)
    assert digest(target) == before


def test_no_demo_and_no_imports_is_refused(tmp_path):
    with pytest.raises(build.BuildError, match="nothing to build"):
        build.build(target=tmp_path / "w.duckdb", demo_scale=None, imports_dir=tmp_path / "none")


def test_imported_indicator_replaces_demo_rows_of_the_same_code(tmp_path):
    store = tmp_path / "imports"
    real = real_import()
    indicators = real.tables["dim_indicator"].iloc[[0]].assign(indicator_code="SH.IMM.IDPT")
    values = real.tables["fct_indicator_value"]
    values = values[values["indicator_code"] == "FX.COV"].assign(indicator_code="SH.IMM.IDPT")
    imports.write(imports.ImportSet(real.source, {"dim_indicator": indicators, "fct_indicator_value": values}), store)
    target = tmp_path / "w.duckdb"
    build.build(target=target, demo_scale=1, imports_dir=store, last_year=2020)
    connection = db.open_read_only(target).connection
    rows = connection.execute("select source_code, count(*) from fct_indicator_value "
                              "where indicator_code = 'SH.IMM.IDPT' group by 1").fetchall()
    assert rows == [(REAL, len(values))]
    demo_left = connection.execute(
        "select count(*) from fct_indicator_value where indicator_code = 'SH.IMM.MEAS'").fetchone()[0]
    assert demo_left > 1000


def test_values_are_stored_clustered_by_indicator_country_and_year(demo_db):
    stored = demo_db.connection.execute(
        "select indicator_code, iso3, year from fct_indicator_value order by rowid").df()
    ordered = stored.sort_values(["indicator_code", "iso3", "year"], kind="stable").reset_index(drop=True)
    assert stored.equals(ordered)
