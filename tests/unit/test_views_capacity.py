"""Capacity views and rules: Welch's interval against scipy, answer shares centred on the middle answer, the
headline, group choices and the breakdown allow-list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard import capacity
from dashboard.views import capacity as view


def test_welch_interval_matches_scipy():
    a, b = np.array([3, 4, 4, 5, 2, 4, 3, 5, 4, 4.0]), np.array([2, 3, 3, 2, 4, 1, 3, 2, 3, 3, 2, 2.0])
    result = capacity.welch(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b))
    reference = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert result["difference"] == pytest.approx(a.mean() - b.mean())
    assert (result["lower"], result["upper"]) == pytest.approx((reference.low, reference.high))


def test_welch_without_spread_gives_no_interval():
    result = capacity.welch(3.0, None, 1, 2.0, 0.5, 10)
    assert result["difference"] == 1.0 and np.isnan(result["lower"]) and np.isnan(result["upper"])


def test_breakdown_fields_come_from_the_allow_list():
    assert capacity.check_by(["gender", "country", "gender"]) == ["gender", "country"]
    with pytest.raises(capacity.CapacityError, match="--by iso3: not a breakdown field; allowed: regional_network"):
        capacity.check_by(["iso3"])


def test_distribution_shares_are_centred_on_the_middle_answer():
    rows = pd.DataFrame({"is_total": True, "gender": None, "kind": "asset", "n": 10, "suppressed": False,
                         "score": [1, 2, 3, 4, 5], "answers": [1, 1, 4, 2, 2]})
    table = view.distribution_table(rows, None)
    assert table["share"].sum() == pytest.approx(1.0)
    middle = table[table["score"] == 3].iloc[0]
    assert (middle["start"], middle["end"]) == pytest.approx((-0.2, 0.2))  # 40% straddles zero
    assert table.iloc[0]["start"] == pytest.approx(-0.4) and table.iloc[-1]["end"] == pytest.approx(0.6)


def test_headline_of_a_survey_asked_as_asset_only():
    rows = pd.DataFrame({"is_total": [True, True], "level": ["individual", "network"],
                         "competency": ["Ethics", "Data systems"], "n": [20, 30], "mean_asset": [3.2, 4.1],
                         "mean_need": [None, None], "gap": [None, None], "suppressed": [False, False]})
    assert view.headline(rows) == ("Strongest asset: Data systems (network), 4.1. No item of this selection was "
                                   "asked as need, so there is no gap: choose Asset.")
    assert view.headline(rows.assign(suppressed=True, mean_asset=None)) == "Every cell of this selection is suppressed."


def test_group_choices_skip_suppressed_groups_and_put_not_stated_last():
    table = pd.DataFrame({"gender": ["(not stated)", "Female", "Male", "Other"], "level": "individual",
                          "competency": "Ethics", "suppressed": [False, False, False, True]})
    assert view.groups(table, "gender") == ["Female", "Male", "(not stated)"]
    assert view.chosen_groups(table, "gender", "Other", "Male") == ("Female", "Male")
    assert view.chosen_groups(table, "gender", "Male", "Male") == ("Male", "Female")
