"""Synthetic HPSR capacity survey for the demo: respondents rate current capacity (asset) and need, 1-5.

Items follow the usual three levels of health policy and systems research capacity: individual skills,
organisational systems and network links. Scores depend on organisation type, level and a country
effect; need runs opposite to asset. Small groups exist on purpose so suppression is exercised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 31_415
COUNTRIES = ("BGD", "ETH", "GHA", "IND", "KEN", "MWI", "NGA", "NPL", "PER", "PHL", "TZA", "UGA", "VNM", "ZMB")
ORGANISATIONS = {  # type -> (share of respondents, capacity effect by level individual/organisational/network)
    "University": (0.34, (0.45, 0.1, 0.2)),
    "Research institute": (0.26, (0.5, 0.3, 0.25)),
    "Ministry of health": (0.2, (-0.35, -0.1, 0.35)),
    "NGO / civil society": (0.14, (-0.1, -0.2, 0.1)),
    "Development partner": (0.06, (0.2, 0.4, 0.45)),
}
ROLES = {"University": ("Researcher", "Research manager"), "Research institute": ("Researcher", "Research manager"),
         "Ministry of health": ("Policy-maker", "Programme manager"),
         "NGO / civil society": ("Programme manager", "Researcher"),
         "Development partner": ("Programme manager", "Policy-maker")}
LEVELS = ("individual", "organisational", "network")
ITEMS = (
    ("IND01", "individual", "Research design", "Formulating researchable questions on health systems"),
    ("IND02", "individual", "Research methods", "Designing and running quantitative studies"),
    ("IND03", "individual", "Research methods", "Designing and running qualitative studies"),
    ("IND04", "individual", "Research methods", "Mixed-methods and implementation research"),
    ("IND05", "individual", "Evidence synthesis", "Conducting systematic and rapid reviews"),
    ("IND06", "individual", "Health economics", "Costing and economic evaluation"),
    ("IND07", "individual", "Communication", "Writing for peer-reviewed publication"),
    ("IND08", "individual", "Knowledge translation", "Writing policy briefs for decision-makers"),
    ("ORG01", "organisational", "Research management", "Managing research grants and budgets"),
    ("ORG02", "organisational", "Research management", "Ethics review and research governance"),
    ("ORG03", "organisational", "Infrastructure", "Access to journals, data and software"),
    ("ORG04", "organisational", "Human resources", "Mentoring and career paths for researchers"),
    ("ORG05", "organisational", "Financing", "Core funding beyond single projects"),
    ("ORG06", "organisational", "Knowledge translation", "Routines to share findings with decision-makers"),
    ("ORG07", "organisational", "Data systems", "Use of routine health information for research"),
    ("NET01", "network", "Policy links", "Working relationships with ministry of health units"),
    ("NET02", "network", "Policy links", "Involvement in priority-setting for research"),
    ("NET03", "network", "Partnerships", "Collaboration with institutions in other countries"),
    ("NET04", "network", "Partnerships", "South-South exchange and regional networks"),
    ("NET05", "network", "Community engagement", "Engaging communities and civil society in research"),
    ("NET06", "network", "Knowledge translation", "Joint research-policy forums and embedded research"),
)


def generate(countries: pd.DataFrame, source_code: str, last_year: int) -> dict[str, pd.DataFrame]:
    """dim_survey, survey_respondent, survey_item and survey_response for one synthetic survey round."""
    rng = np.random.default_rng(SEED)
    code = f"DEMO_HPSR_CAPACITY_{last_year - 1}"
    survey = pd.DataFrame([{
        "survey_code": code, "title": "HPSR capacity self-assessment (synthetic demo)", "year": last_year - 1,
        "source_code": source_code,
        "description": "Made-up responses for demonstration: individual, organisational and network "
                       "capacity rated as current asset and as need, on a 1-5 scale.",
    }])
    items = pd.DataFrame(ITEMS, columns=["item_code", "level", "competency", "text"])
    items.insert(0, "survey_code", code)
    items["score_min"], items["score_max"] = 1, 5

    known = set(countries["iso3"])
    respondents, responses = [], []
    org_names = list(ORGANISATIONS)
    org_shares = np.array([ORGANISATIONS[o][0] for o in org_names])
    level_index = items["level"].map({level: i for i, level in enumerate(LEVELS)}).to_numpy()
    for iso3 in (c for c in COUNTRIES if c in known):
        country_effect = rng.normal(0, 0.35, len(LEVELS))
        for k in range(int(rng.integers(22, 95))):
            org = org_names[rng.choice(len(org_names), p=org_shares)]
            rid = f"{iso3}-{k + 1:03d}"
            respondents.append({
                "survey_code": code, "respondent_id": rid, "iso3": iso3, "organisation_type": org,
                "role": ROLES[org][int(rng.random() < 0.3)],
                "career_stage": rng.choice(["Early career", "Mid career", "Senior"], p=[0.4, 0.4, 0.2]),
                "sex": rng.choice(["Female", "Male"]),
            })
            person = rng.normal(0, 0.4)
            mean = 2.9 + np.array(ORGANISATIONS[org][1])[level_index] + country_effect[level_index] + person
            asset = np.clip(np.rint(mean + rng.normal(0, 0.7, len(items))), 1, 5)
            need = np.clip(np.rint(6.2 - 0.55 * asset + rng.normal(0, 0.8, len(items))), 1, 5)
            for kind, scores in (("asset", asset), ("need", need)):
                missing = rng.random(len(items)) < 0.03
                responses.append(pd.DataFrame({
                    "survey_code": code, "respondent_id": rid, "item_code": items["item_code"],
                    "kind": kind, "score": pd.array(np.where(missing, np.nan, scores)).astype("Int64"),
                }))
    return {
        "dim_survey": survey,
        "survey_item": items,
        "survey_respondent": pd.DataFrame(respondents),
        "survey_response": pd.concat(responses, ignore_index=True),
    }
