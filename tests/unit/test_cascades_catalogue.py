"""The care cascades (catalogue/cascades.csv) name catalogue indicators and rules the demo can follow."""

from dashboard import catalogue
from dashboard.sources import demo

BASES = {"base", "share", "share_of_previous"}


def test_every_cascade_step_names_a_catalogue_indicator_and_a_known_basis():
    steps = catalogue.cascades()
    indicators = catalogue.indicators().set_index("indicator_code")
    assert set(steps["basis"]) <= BASES
    for cascade, group in steps.groupby("cascade"):
        assert group["step"].tolist() == list(range(1, len(group) + 1)), cascade
        assert group["basis"].iloc[0] == "base" and (group["basis"].iloc[1:] != "base").all(), cascade
        assert group["cascade_label"].nunique() == 1, cascade
    for code in steps["indicator_code"].dropna():
        assert code in indicators.index, f"cascades.csv: {code} is not in indicators.csv"
    shares = steps.loc[steps["basis"] != "base", "indicator_code"]
    assert set(indicators.loc[shares, "unit"]) == {"%"}


def test_demo_rules_derive_each_step_from_an_earlier_listed_neighbour_with_the_same_decimals():
    steps = catalogue.cascades()
    indicators = catalogue.indicators()
    order = {code: i for i, code in enumerate(indicators["indicator_code"])}
    decimals = dict(zip(indicators["indicator_code"], indicators["decimals"]))
    rules = demo.cascade_rules()
    assert set(rules) == {"NCD_HYP_DIAGNOSIS_A", "NCD_HYP_CONTROL_A", "SH.STA.ANVC.ZS", "MDG_0000000025",
                          "VACCINECOVERAGE_DTP1", "MCV2"}
    for code, rule in rules.items():
        cascade = steps.loc[steps["indicator_code"] == code, "cascade"].iloc[0]
        assert rule.source in set(steps.loc[steps["cascade"] == cascade, "indicator_code"]), code
        assert order[rule.source] < order[code], f"{rule.source} must come before {code} in indicators.csv"
        assert decimals[rule.source] == decimals[code], code  # equal rounding keeps the order after rounding
        assert 0 < rule.low < rule.high <= 1, code
    assert rules["MCV2"].later and not rules["VACCINECOVERAGE_DTP1"].later
