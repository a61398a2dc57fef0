"""URL parameters: valid values pass, bad ones fall back to the default with a short safe note."""

from dashboard.urlstate import Param

INDICATORS = ["SH.IMM.IDPT", "SH.DYN.MORT"]
indicator = Param("indicator", "indicator", default=lambda v: "SH.IMM.IDPT", choices=lambda v: INDICATORS)
year = Param("year", "year", default=lambda v: 2020, choices=lambda v: range(2000, 2021), kind="int")
countries = Param("countries", "country code", default=lambda v: [], choices=lambda v: ["KEN", "UGA"], kind="list")
flag = Param("log", "log scale", default=lambda v: False, kind="bool")


def test_valid_values_pass():
    assert indicator.parse("SH.DYN.MORT", {}) == ("SH.DYN.MORT", None)
    assert year.parse("2005", {}) == (2005, None)
    assert countries.parse("KEN,UGA", {}) == (["KEN", "UGA"], None)
    assert flag.parse("1", {}) == (True, None)


def test_unknown_indicator_falls_back_with_note():
    value, note = indicator.parse("NOPE", {})
    assert value == "SH.IMM.IDPT" and "Unknown indicator" in note and "NOPE" in note


def test_out_of_range_or_non_numeric_year_falls_back():
    assert year.parse("1999", {})[0] == 2020
    value, note = year.parse("20x0", {})
    assert value == 2020 and "year" in note


def test_unknown_list_items_are_dropped_with_note():
    value, note = countries.parse("KEN,XXX,,UGA", {})
    assert value == ["KEN", "UGA"] and "XXX" in note


def test_note_strips_markup_and_truncates():
    _, note = indicator.parse("[click](http://evil)<b>" + "x" * 100, {})
    assert "<" not in note and "](" not in note and "…" in note


def test_format_round_trips():
    for param, value in [(indicator, "SH.DYN.MORT"), (year, 2011), (countries, ["KEN", "UGA"]), (flag, True)]:
        assert param.parse(param.format(value), {})[0] == value
