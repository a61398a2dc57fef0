"""Matching subnational subgroups to admin-1 boundaries: normalisation, code/name/alias order, the report."""

from __future__ import annotations

import csv

import duckdb
import pytest

from dashboard import config, contract
from dashboard.sources import admin1_match as m

KENYA = [("KE-05", "Elgeyo-Marakwet"), ("KE-29", "Murang'a"), ("KE-30", "Nairobi"), ("KE-39", "Taita Taveta"),
         ("KE-41", "Tharaka"), ("KE-08", "Homa Bay")]


@pytest.mark.parametrize("name, expected", [
    ("Murang'a County", "muranga"),
    ("Murang’a", "muranga"),
    ("Elgeyo-Marakwet", "elgeyomarakwet"),
    ("  ÉLGEYO marakwet  ", "elgeyomarakwet"),
    ("Western North Region", "westernnorth"),
    ("Jammu & Kashmir", "jammuandkashmir"),
    ("Cross River State", "crossriver"),
    ("Region", "region"),  # only generic words: keep them rather than match everything to ""
])
def test_normalise_name(name, expected):
    assert m.normalise_name(name) == expected


def test_code_then_name_then_alias():
    report = m.match_subgroups(KENYA, ["ke-30", "Elgeyo Marakwet", "Muranga", "Tharaka-Nithi", "Homabay"],
                               aliases={"tharakanithi": "tharaka"})
    assert [(x.subgroup, x.admin1_code, x.method) for x in report.matches] == [
        ("ke-30", "KE-30", "code"),
        ("Elgeyo Marakwet", "KE-05", "name"),
        ("Muranga", "KE-29", "name"),
        ("Tharaka-Nithi", "KE-41", "alias"),
        ("Homabay", "KE-08", "name"),
    ]
    assert report.unmatched_subgroups == ()
    assert report.unmatched_boundaries == (("KE-39", "Taita Taveta"),)


def test_aliases_work_in_either_direction():
    # The alias table says "Nairobi City" is "Nairobi"; boundaries may carry either form.
    aliases = {"nairobicity": "nairobi"}
    forward = m.match_subgroups([("KE-30", "Nairobi")], ["Nairobi City"], aliases=aliases)
    backward = m.match_subgroups([("KE-30", "Nairobi City")], ["Nairobi"], aliases=aliases)
    assert forward.codes() == {"Nairobi City": "KE-30"}
    assert backward.codes() == {"Nairobi": "KE-30"}
    assert m.match_subgroups([("KE-30", "Nairobi")], ["Nairobi City"]).codes() == {}  # not without it


def test_unmatched_names_are_reported_on_both_sides_and_duplicates_counted_once():
    report = m.match_subgroups(KENYA, ["Nairobi", "Atlantis", "Nairobi", "El Dorado"])
    assert report.matched_count == 1
    assert report.unmatched_subgroups == ("Atlantis", "El Dorado")
    assert [code for code, _ in report.unmatched_boundaries] == ["KE-05", "KE-08", "KE-29", "KE-39", "KE-41"]
    lines = report.lines()
    assert lines[0] == "matched 1 of 3 subnational subgroup(s) to boundaries (0 by code, 1 by name, 0 by alias)"
    assert lines[1] == "subgroups without a boundary (2): Atlantis; El Dorado"
    assert lines[2].startswith("boundaries without a subgroup (5): Elgeyo-Marakwet (KE-05); Homa Bay (KE-08)")


def test_a_name_that_fits_two_boundaries_is_ambiguous_not_guessed():
    report = m.match_subgroups([("ZZ-1", "Lakes Region"), ("ZZ-2", "Lakes District")], ["Lakes"])
    assert report.matches == ()
    assert report.ambiguous == {"Lakes": ("ZZ-1", "ZZ-2")}
    assert "subgroup 'Lakes' fits several boundaries: ZZ-1, ZZ-2" in report.lines()


def test_alias_file_is_well_formed_and_each_row_is_a_real_rename():
    rows = m.load_aliases("KEN")
    assert rows["nairobicity"] == "nairobi"
    assert rows["tharakanithi"] == "tharaka"
    assert m.load_aliases("ZZZ") == {}
    with m.ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            assert len(row["iso3"]) == 3 and row["iso3"].isupper(), f"line {line}"
            assert m.normalise_name(row["alias"]) != m.normalise_name(row["name"]), \
                f"{m.ALIASES_FILE} line {line}: normalisation already matches {row['alias']!r}"
            assert row["note"].strip(), f"line {line} lacks a note saying why"


def test_alias_file_errors_name_file_line_and_column(tmp_path):
    bad_columns = tmp_path / "a.csv"
    bad_columns.write_text("iso3,alias\nKEN,X\n")
    with pytest.raises(ValueError, match=r"a\.csv: columns must be iso3, alias, name, note"):
        m.load_aliases("KEN", bad_columns)
    blank = tmp_path / "b.csv"
    blank.write_text("iso3,alias,name,note\nKEN,Nairobi City,Nairobi,ok\nKEN,,Tharaka,missing\n")
    with pytest.raises(ValueError, match=r"b\.csv: line 3, column alias is empty"):
        m.load_aliases("KEN", blank)


def test_real_kenya_county_names_with_variants_match(tmp_path):
    from dashboard.sources import boundaries

    path = config.path("real_data_dir") / "geo" / "geoboundaries" / "geoBoundaries-KEN-ADM1.topojson"
    if not path.is_file():
        pytest.skip(f"real data directory {path.parent} not found; the Kenya matching test needs it")
    result = boundaries.load(path, "KEN")
    variants = {"Nairobi City": "KE-30", "Elgeyo Marakwet": "KE-05", "Murang'a": "KE-29", "Muranga": "KE-29",
                "Tharaka-Nithi": "KE-41", "Taita-Taveta": "KE-39", "Trans-Nzoia": "KE-42",
                "Homabay County": "KE-08", "Uasin Gishu": "KE-44", "West Pokot": "KE-47"}
    report = m.match_subgroups(zip(result.areas["admin1_code"], result.areas["name"]), list(variants),
                               aliases=m.load_aliases("KEN"))
    assert report.codes() == variants
    assert report.unmatched_subgroups == ()
    assert len(report.unmatched_boundaries) == 47 - len(set(variants.values()))


def _tiny_warehouse(path, rows):
    schema = (config.QUERIES_DIR / "warehouse" / "schema.sql").read_text()
    with duckdb.connect(str(path)) as connection:
        connection.execute(schema)
        connection.execute("insert into meta_build values ('b1', now(), 'test', null, false, '[]', '{}')")
        for iso3, dimension, subgroup, admin1_code in rows:
            connection.execute(
                "insert into fct_indicator_value (indicator_code, iso3, admin1_code, year, dimension, subgroup, "
                "ordered_dimension, reference_subgroup, estimate, source_code) "
                "values ('X', ?, ?, 2020, ?, ?, false, false, 1.0, 'S')", [iso3, admin1_code, dimension, subgroup])


def test_the_build_lists_each_countrys_subnational_subgroups(tmp_path):
    """What the boundaries command matches: read by the build (queries/warehouse/subnational_subgroups.sql),
    never by an importer opening the built warehouse."""
    import duckdb

    from dashboard.config import QUERIES_DIR

    warehouse = tmp_path / "w.duckdb"
    _tiny_warehouse(warehouse, [
        ("KEN", contract.DIM_SUBNATIONAL, "Nairobi City", None),
        ("KEN", contract.DIM_SUBNATIONAL, "Nairobi City", None),
        ("KEN", contract.DIM_SUBNATIONAL, "Kisumu", "KE-17"),
        ("KEN", contract.DIM_SEX, "Female", None),
        ("GHA", contract.DIM_SUBNATIONAL, "Volta", None),
    ])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute((QUERIES_DIR / "warehouse" / "subnational_subgroups.sql").read_text()).fetchall()
    assert {iso3: list(names) for iso3, names in rows} == {"GHA": ["Volta"], "KEN": ["Kisumu", "Nairobi City"]}
