"""The query loader's safety rules: only shipped files, exactly the parameters the SQL uses."""

import pytest

from dashboard import sql


@pytest.mark.parametrize("name", ["../warehouse", "indicators/../../etc/passwd", "/etc/passwd",
                                  "Indicators/latest_by_country", "indicators/latest_by_country.sql",
                                  "", "indicators//x", "indicators/latest by country"])
def test_names_outside_queries_or_malformed_are_rejected(name):
    with pytest.raises(sql.QueryError):
        sql.load(name)


def test_symlink_escaping_queries_is_rejected(tmp_path):
    root = tmp_path / "queries"
    (root / "x").mkdir(parents=True)
    outside = tmp_path / "secret.sql"
    outside.write_text("-- Grain: x\nselect 1")
    (root / "x" / "leak.sql").symlink_to(outside)
    with pytest.raises(sql.QueryError, match="outside"):
        sql.resolve("x/leak", root)


def test_unknown_query_is_rejected():
    with pytest.raises(sql.QueryError, match="no query file"):
        sql.load("indicators/does_not_exist")


def test_missing_and_extra_parameters_are_rejected():
    query = sql.load("indicators/latest_by_country")
    with pytest.raises(sql.QueryError, match=r"missing \$year"):
        query.check({"indicator_code": "X", "who_regions": [], "income_groups": []})
    with pytest.raises(sql.QueryError, match=r"unexpected \$limit"):
        query.check({"indicator_code": "X", "year": 1, "who_regions": [], "income_groups": [], "limit": 1})
    query.check({"indicator_code": "X", "year": 1, "who_regions": [], "income_groups": []})


def test_parameters_ignore_literals_and_comments():
    text = "-- uses $not_a_param\nselect '$nope', \"$col\", $real /* $hidden */ from t where x = $other"
    assert sql.parameters(text) == {"real", "other"}


def test_header_must_state_grain(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "q.sql").write_text("-- Something.\nselect 1")
    with pytest.raises(sql.QueryError, match="grain"):
        sql.load("a/q", tmp_path)


def test_digest_changes_with_text(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "q1.sql").write_text("-- Grain: one row.\nselect 1")
    (tmp_path / "a" / "q2.sql").write_text("-- Grain: one row.\nselect 2")
    assert sql.load("a/q1", tmp_path).digest != sql.load("a/q2", tmp_path).digest
