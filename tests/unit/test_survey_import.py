"""`import survey`: Kobo and ODK exports through a mapping; every Kobo quirk, personal columns never stored,
identifiers hashed, rejected rows skipped, bad rows named by row, line and column, and nothing changed on
failure."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import build
from dashboard.cli import app
from dashboard.config import PROJECT_ROOT
from dashboard.sources import survey
from dashboard.sources.errors import ImportFormatError
from tests.fixtures.trees import tree_digest
from tests.real import realdata

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "surveys"
KOBO, KOBO_MAP = FIXTURES / "kobo_capacity.csv", FIXTURES / "kobo_capacity.yml"
ODK, ODK_MAP = FIXTURES / "odk_capacity.csv", FIXTURES / "odk_capacity.yml"
SALT = b"test-salt"
runner = CliRunner()


def personal_values() -> list[str]:
    """Every name, e-mail, phone number, raw identifier and GPS value of the fixtures."""
    kobo = pd.read_csv(KOBO, sep=";", dtype=str, encoding="utf-8-sig")
    odk = pd.read_csv(ODK, dtype=str)
    values = [*kobo["respondent/full_name"], *kobo["respondent/email"], *kobo["respondent/phone"], *kobo["_uuid"],
              *kobo["_location_latitude"], *odk["Name of respondent"], *odk["Email address"], *odk["KEY"]]
    values += [part for name in kobo["respondent/full_name"] for part in name.split()]  # surnames alone too
    return values


def test_kobo_export_with_every_quirk():
    import_set, report = survey.to_import_set(KOBO, survey.load_mapping(KOBO_MAP), SALT)
    people = import_set.tables["survey_respondent"]
    # 12 submissions, one marked not approved in _validation_status
    assert (report.respondents, report.skipped_rejected, len(people)) == (11, 1, 11)
    assert people["iso3"].value_counts().to_dict() == {"KEN": 6, "UGA": 4, "TZA": 1}  # names and codes
    assert people["career_stage"].tolist()[:3] == ["Early career", "Mid career", "Senior"]
    answers = import_set.tables["survey_response"]
    first = answers[answers["respondent_id"] == people["respondent_id"].iloc[0]].set_index(["item_code", "kind"])
    # row 2 (the multi-line, ';'-holding comment): Strongly disagree, Strongly agree, Disagree, Agree
    assert first["score"].to_dict() == {("IND_METHODS", "asset"): 1, ("IND_METHODS", "need"): 5,
                                        ("ORG_DATA", "asset"): 2, ("NET_POLICY", "asset"): 4}
    assert report.missing_answers == 3  # a curly "Don’t know", a "Not applicable" and a blank
    assert answers["score"].isna().sum() == 3 and len(answers) == 44
    assert import_set.tables["survey_item"].set_index("item_code")["kinds"].to_dict() == {
        "IND_METHODS": "both", "ORG_DATA": "asset", "NET_POLICY": "asset"}
    assert all(re.fullmatch(r"[0-9a-f]{20}", rid) for rid in people["respondent_id"])
    assert report.dropped["respondent/full_name"] == "personal: names"
    assert report.dropped["respondent/email"] == "personal: e-mail addresses"
    assert report.dropped["respondent/phone"] == "personal: contact details"
    assert report.dropped["_location_latitude"] == "personal: GPS or location"
    assert report.dropped["comments"] == "free text"
    assert "_uuid" not in report.dropped and "_validation_status" not in report.dropped


def test_identifiers_are_salted_hashes():
    one, _ = survey.to_import_set(KOBO, survey.load_mapping(KOBO_MAP), b"one")
    two, _ = survey.to_import_set(KOBO, survey.load_mapping(KOBO_MAP), b"two")
    ids_one = one.tables["survey_respondent"]["respondent_id"]
    assert not set(ids_one) & set(two.tables["survey_respondent"]["respondent_id"])
    again, _ = survey.to_import_set(KOBO, survey.load_mapping(KOBO_MAP), b"one")
    assert again.tables["survey_respondent"]["respondent_id"].tolist() == ids_one.tolist()


def test_odk_central_export_with_labels_and_commas():
    import_set, report = survey.to_import_set(ODK, survey.load_mapping(ODK_MAP), SALT)
    assert (report.respondents, report.skipped_rejected) == (7, 1)  # ReviewState 'rejected'
    assert import_set.tables["survey_respondent"]["iso3"].value_counts().to_dict() == {"GHA": 5, "NGA": 2}
    assert report.dropped["SubmitterName"] == "personal: names" and report.dropped["KEY"] if "KEY" in \
        report.dropped else True
    answers = import_set.tables["survey_response"]
    assert answers.groupby("kind")["score"].apply(lambda s: s.isna().sum()).to_dict() == {"asset": 0, "need": 2}


def test_xlsx_export_reads_like_the_csv(tmp_path):
    workbook = tmp_path / "kobo.xlsx"
    pd.read_csv(KOBO, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False).to_excel(workbook, index=False)
    from_xlsx, report = survey.to_import_set(workbook, survey.load_mapping(KOBO_MAP), SALT)
    from_csv, _ = survey.to_import_set(KOBO, survey.load_mapping(KOBO_MAP), SALT)
    for table in ("survey_respondent", "survey_response", "survey_item"):
        pd.testing.assert_frame_equal(from_xlsx.tables[table], from_csv.tables[table])
    assert report.skipped_rejected == 1


def test_a_bad_answer_is_named_by_row_line_and_column(tmp_path):
    text = KOBO.read_text(encoding="utf-8-sig").replace(";Neutral;", ";Maybe;", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        survey.to_import_set(bad, survey.load_mapping(KOBO_MAP), SALT)
    # the first row holds a comment over three lines, so spreadsheet row 3 starts on line 5
    assert str(error.value).startswith(f"{bad}, line 5, column 'capacity/individual/methods_asset': row 3: "
                                       "answer 'Maybe' is not on scale 'agreement'")


@pytest.mark.parametrize("change,message", [
    (("respondent/country", "respondent/nation"), "no column 'respondent/country' for respondent.iso3"),
    ((";Kenya;", ";Atlantis;"), "row 2: 'Atlantis' is not a country"),
    (("Health Systems Institute 1", "+254 700 123 456"), "looks like an e-mail address or phone number"),
])
def test_bad_rows_fail_with_a_clear_message(tmp_path, change, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(KOBO.read_text(encoding="utf-8-sig").replace(*change, 1), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=re.escape(message)):
        survey.to_import_set(bad, survey.load_mapping(KOBO_MAP), SALT)


def test_mapping_errors_name_the_key(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(KOBO_MAP.read_text().replace("kind: need", "kind: wish"))
    with pytest.raises(survey.MappingError, match=r"items\[2\]: kind must be asset or need, got 'wish'"):
        survey.load_mapping(bad)


def test_readme_mapping_example_is_valid():
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# capacity-survey mapping.*?)```", text, re.DOTALL)
    assert block, "README lacks the mapping example"
    path = PROJECT_ROOT / "tests" / "fixtures" / "surveys" / "readme_example.yml"
    assert path.read_text(encoding="utf-8") == block.group(1), "keep readme_example.yml equal to the README's"
    mapping = survey.load_mapping(path)
    assert {item["kind"] for item in mapping.items} == {"asset", "need"}


@pytest.fixture
def store(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("HSS_WAREHOUSE", str(data / "warehouse.duckdb"))
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(data / "imports"))
    monkeypatch.setenv("HSS_SURVEY_SALT_FILE", str(tmp_path / "secret" / "salt.key"))
    return data


def test_personal_columns_never_reach_the_warehouse(store, tmp_path):
    for export, mapping in ((KOBO, KOBO_MAP), (ODK, ODK_MAP)):
        result = runner.invoke(app, ["import", "survey", str(export), "--mapping", str(mapping), "--no-build"])
        assert result.exit_code == 0, result.output
        assert "dropped and never stored:" in result.output and "respondent/email (personal: e-mail" in \
            result.output or "Email address (personal: e-mail addresses)" in result.output
    assert (tmp_path / "secret" / "salt.key").is_file()
    target = build.build(target=store / "warehouse.duckdb", demo_scale=None, imports_dir=store / "imports").path
    connection = duckdb.connect(str(target), read_only=True)
    try:
        columns = connection.execute("select table_name, column_name from information_schema.columns "
                                     "where data_type = 'VARCHAR'").fetchall()
        needles = [v.lower() for v in personal_values()]
        for table, column in columns:
            cells = {str(v).lower() for (v,) in connection.execute(f'select distinct "{column}" from "{table}"').fetchall()
                     if v is not None}
            leaked = [n for n in needles if any(n in cell for cell in cells)]
            assert not leaked, f"{table}.{column} holds {leaked[:3]}"
        assert connection.execute("select count(*) from survey_respondent").fetchone()[0] == 18
        salt_text = (tmp_path / "secret" / "salt.key").read_text().strip().lower()
        assert not any(salt_text in cell for table, column in columns for (cell,) in connection.execute(
            f'select distinct cast("{column}" as varchar) from "{table}"').fetchall() if cell)
    finally:
        connection.close()
    stored = "".join(p.read_bytes().decode("latin-1") for p in (store / "imports").rglob("*.parquet")).lower()
    assert not [v for v in personal_values() if v.lower() in stored]


def test_a_failing_import_changes_nothing(store, tmp_path):
    ok = runner.invoke(app, ["import", "survey", str(ODK), "--mapping", str(ODK_MAP), "--no-build"])
    assert ok.exit_code == 0, ok.output
    build.build(target=store / "warehouse.duckdb", demo_scale=None, imports_dir=store / "imports")
    before, salt_before = tree_digest(store), tree_digest(tmp_path / "secret")
    bad = tmp_path / "bad.csv"
    bad.write_text(KOBO.read_text(encoding="utf-8-sig").replace(";Neutral;", ";Maybe;", 1), encoding="utf-8")
    result = runner.invoke(app, ["import", "survey", str(bad), "--mapping", str(KOBO_MAP)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {bad}, line 5, column 'capacity/individual/methods_asset': "
                                            "row 3: answer 'Maybe'")
    assert "Traceback" not in result.output
    assert tree_digest(store) == before and tree_digest(tmp_path / "secret") == salt_before


def test_a_failing_first_import_leaves_no_salt(store, tmp_path):
    result = runner.invoke(app, ["import", "survey", str(KOBO), "--mapping", str(tmp_path / "missing.yml")])
    assert result.exit_code == 1 and "missing.yml: no such mapping file" in result.output
    assert not (tmp_path / "secret").exists() and tree_digest(store) == {}


def test_real_kobo_export():
    folder = realdata.folder("surveys/kobotoolbox")
    export = next(folder.glob("paleocore-sss*.csv"))
    import_set, report = survey.to_import_set(export, survey.load_mapping(FIXTURES / "kobo_paleocore.yml"), SALT)
    assert (report.respondents, report.skipped_rejected, report.items) == (3203, 0, 2)
    scores = import_set.tables["survey_response"].groupby("item_code")["score"]
    assert scores.count().to_dict() == {"EDGE_DAMAGE": 2916, "WEATHERING": 3103}
    assert import_set.tables["survey_respondent"]["working_group"].value_counts().sum() == 3203
    for column, reason in (("Collector", "personal: names"), ("Recorder", "personal: names"),
                           ("_point_latitude", "personal: GPS or location"), ("point", "personal: GPS or location"),
                           ("Notes", "free text"), ("Photo_URL", "personal: media")):
        assert report.dropped[column] == reason


def test_real_likert_table():
    table = realdata.folder("surveys/likert_staff_survey") / "2014_likert_qs.csv"
    import_set, report = survey.to_import_set(table, survey.load_mapping(FIXTURES / "likert_staff_2014.yml"), SALT)
    assert (report.respondents, report.items, report.missing_answers) == (58, 8, 4)
    raw = pd.read_csv(table, dtype=str)
    skills = "I feel I have the skills to do the job I've been asked to do"
    expected = raw[skills].map({"Strongly disagree": 1, "Disagree": 2, "Neutral": 3, "Agree": 4,
                                "Strongly agree": 5}).mean()
    answers = import_set.tables["survey_response"]
    assert answers.loc[answers["item_code"] == "IND_SKILLS", "score"].astype(float).mean() == pytest.approx(expected)
    assert import_set.tables["survey_respondent"]["role"].value_counts().to_dict() == {
        "Administrative staff": 32, "Academic staff": 26}


def test_import_then_summary_on_the_real_likert_table(store, tmp_path):
    table = realdata.folder("surveys/likert_staff_survey") / "2014_likert_qs.csv"
    result = runner.invoke(app, ["import", "survey", str(table), "--mapping", str(FIXTURES / "likert_staff_2014.yml"),
                                 "--no-build"])
    assert result.exit_code == 0, result.output
    build.build(target=store / "warehouse.duckdb", demo_scale=None, imports_dir=store / "imports")
    out = tmp_path / "summary.csv"
    result = runner.invoke(app, ["capacity", "summary", "--by", "working_group", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert set(frame["working_group"]) == {"(not stated)"} and (frame["n"] >= 57).all()
    assert Path(out).stat().st_size > 0


def test_an_import_the_rebuild_refuses_is_rolled_back(store, tmp_path):
    """A survey code already used by another source passes the importer but fails the build (two item rows
    with one key): the store, the warehouse and the salt are left byte-identical."""
    from tests.fixtures import capacity as cx

    cx.build_capacity_fixture(store)
    mapping = tmp_path / "collide.yml"
    mapping.write_text(ODK_MAP.read_text().replace("code: FX_ODK_2024", f"code: {cx.LATER}")
                       .replace("item: IND_QUANT", "item: I1"))
    before = tree_digest(store)
    result = runner.invoke(app, ["import", "survey", str(ODK), "--mapping", str(mapping)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("error: survey_item: Constraint Error") and 'duplicate key "CX_2024, I1"' in last
    assert last.endswith(f"the import was rolled back ({store / 'imports'} is as it was) and the warehouse is unchanged")
    assert tree_digest(store) == before and not (tmp_path / "secret").exists()
