"""Synthetic HPSR capacity survey for the demo: two rounds, three years apart, of one instrument on which
respondents rate current capacity (asset) and the need to strengthen it, 1-5.

Items follow the usual three levels of health policy and systems research capacity (individual skills,
organisational systems, network links) across ten competency domains. About 2,000 respondents from about
125 countries answer; scores depend on regional network, organisation type, career stage, gender, level,
domain and a country effect, need runs opposite to asset, and some assets grow between the rounds. Most
countries have few respondents, so suppression of small groups is exercised. Deterministic (seeded) and
vectorised, because the demo is built on the app's first start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 31_415
SERIES = "DEMO_HPSR_CAPACITY"
ROUND_GAP = 3  # years between the two rounds
RESPONDENTS_PER_ROUND = 1_000
COUNTRY_COUNT = 125
# Countries whose institutions founded the (fictional) network: always surveyed, with many respondents.
ANCHORS = ("BGD", "ETH", "GHA", "IND", "KEN", "MWI", "NGA", "NPL", "PER", "PHL", "TZA", "UGA", "VNM", "ZMB")
NETWORKS = {"AFR": "Africa", "SEAR": "Asia-Pacific", "WPR": "Asia-Pacific", "EMR": "Eastern Mediterranean",
            "EUR": "Europe", "AMR": "Latin America and Caribbean"}
# Network -> capacity effect by level (individual, organisational, network).
NETWORK_EFFECTS = {"Africa": (-0.2, -0.35, 0.15), "Asia-Pacific": (0.05, 0.0, -0.05),
                   "Eastern Mediterranean": (-0.1, -0.2, -0.3), "Europe": (0.4, 0.45, 0.2),
                   "Latin America and Caribbean": (0.1, -0.05, 0.1)}
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
INCOME_EFFECTS = {"High income": 0.35, "Upper middle income": 0.1, "Lower middle income": -0.1, "Low income": -0.3}
CAREERS = {"Early career": (0.4, -0.45), "Mid career": (0.4, 0.0), "Senior": (0.2, 0.5)}  # share, individual effect
WORKING_GROUPS = ("Health financing", "Primary health care", "Health workforce", "Digital health", "Health security")
LEVELS = ("individual", "organisational", "network")
DOMAINS = {  # domain -> (baseline asset, extra need, growth between rounds)
    "Research design and methods": (0.2, 0.0, 0.15),
    "Ethics": (0.55, -0.3, 0.0),
    "Evidence synthesis": (-0.1, 0.2, 0.45),
    "Economic evaluation": (-0.55, 0.45, 0.1),
    "Knowledge translation and policy engagement": (-0.2, 0.4, 0.4),
    "Research management and funding": (-0.3, 0.35, 0.05),
    "Teaching and mentoring": (0.25, 0.0, 0.0),
    "Partnerships and networking": (0.1, 0.1, 0.3),
    "Data systems": (-0.45, 0.4, 0.5),
    "Gender and power": (-0.4, 0.3, 0.2),
}
# (code, level, domain, competency, text, kinds, only in the later round)
ITEMS = (
    ("IND01", "individual", "Research design and methods", "Research questions", "Formulating researchable questions on health systems", "both", False),
    ("IND02", "individual", "Research design and methods", "Quantitative methods", "Designing and running quantitative studies", "both", False),
    ("IND03", "individual", "Research design and methods", "Qualitative methods", "Designing and running qualitative studies", "both", False),
    ("IND04", "individual", "Research design and methods", "Implementation research", "Mixed-methods and implementation research", "both", False),
    ("IND05", "individual", "Ethics", "Research ethics", "Applying research ethics and informed consent", "both", False),
    ("IND06", "individual", "Evidence synthesis", "Systematic reviews", "Conducting systematic and rapid reviews", "both", False),
    ("IND07", "individual", "Evidence synthesis", "Appraising evidence", "Critically appraising published evidence", "both", False),
    ("IND08", "individual", "Economic evaluation", "Costing", "Costing health services and programmes", "both", False),
    ("IND09", "individual", "Economic evaluation", "Cost-effectiveness", "Cost-effectiveness and budget-impact analysis", "both", False),
    ("IND10", "individual", "Knowledge translation and policy engagement", "Policy briefs", "Writing policy briefs for decision-makers", "both", False),
    ("IND11", "individual", "Knowledge translation and policy engagement", "Publishing", "Writing for peer-reviewed publication", "both", False),
    ("IND12", "individual", "Research management and funding", "Grant writing", "Writing competitive grant proposals", "both", False),
    ("IND13", "individual", "Teaching and mentoring", "Mentoring", "Mentoring junior researchers", "both", False),
    ("IND14", "individual", "Data systems", "Routine data analysis", "Analysing routine health information data", "both", False),
    ("IND15", "individual", "Gender and power", "Gender analysis", "Applying gender and intersectionality analysis", "both", True),
    ("ORG01", "organisational", "Research management and funding", "Grant management", "Managing research grants and budgets", "both", False),
    ("ORG02", "organisational", "Research management and funding", "Core funding", "Core funding beyond single projects", "need", False),
    ("ORG03", "organisational", "Ethics", "Ethics review", "A functioning ethics review committee", "both", False),
    ("ORG04", "organisational", "Ethics", "Research governance", "Research governance and integrity policies", "both", False),
    ("ORG05", "organisational", "Evidence synthesis", "Library access", "Access to journals, databases and software", "asset", False),
    ("ORG06", "organisational", "Teaching and mentoring", "Career paths", "Mentoring and career paths for researchers", "both", False),
    ("ORG07", "organisational", "Teaching and mentoring", "Training programmes", "Postgraduate training in HPSR", "both", False),
    ("ORG08", "organisational", "Knowledge translation and policy engagement", "Sharing routines", "Routines to share findings with decision-makers", "both", False),
    ("ORG09", "organisational", "Data systems", "Data management", "Data management and sharing infrastructure", "both", False),
    ("ORG10", "organisational", "Data systems", "Routine data access", "Access to routine health information for research", "both", False),
    ("ORG11", "organisational", "Economic evaluation", "HTA unit", "A health technology assessment or economics unit", "both", False),
    ("ORG12", "organisational", "Gender and power", "Gender policy", "Gender equity policies for staff and leadership", "both", False),
    ("ORG13", "organisational", "Research design and methods", "Methods support", "Statistical and methods support for staff", "both", True),
    ("ORG14", "organisational", "Partnerships and networking", "Partnership office", "Staff dedicated to partnerships", "both", False),
    ("NET01", "network", "Knowledge translation and policy engagement", "Ministry links", "Working relationships with ministry of health units", "both", False),
    ("NET02", "network", "Knowledge translation and policy engagement", "Priority-setting", "Involvement in priority-setting for research", "both", False),
    ("NET03", "network", "Knowledge translation and policy engagement", "Embedded research", "Joint research-policy forums and embedded research", "both", False),
    ("NET04", "network", "Partnerships and networking", "International collaboration", "Collaboration with institutions in other countries", "both", False),
    ("NET05", "network", "Partnerships and networking", "South-South exchange", "South-South exchange and regional networks", "both", False),
    ("NET06", "network", "Partnerships and networking", "Community engagement", "Engaging communities and civil society in research", "both", False),
    ("NET07", "network", "Research management and funding", "Funder dialogue", "Dialogue with funders on research agendas", "need", False),
    ("NET08", "network", "Evidence synthesis", "Evidence networks", "Membership of evidence synthesis networks", "both", True),
    ("NET09", "network", "Data systems", "Data sharing agreements", "Data-sharing agreements with partners", "both", False),
    ("NET10", "network", "Teaching and mentoring", "Regional training", "Regional training and fellowship schemes", "both", False),
    ("NET11", "network", "Gender and power", "Equitable partnerships", "Equitable authorship and leadership in partnerships", "both", True),
)
ITEM_COLUMNS = ["item_code", "level", "domain", "competency", "text", "kinds", "later_only"]


def survey_codes(last_year: int) -> tuple[str, str]:
    """Codes of the earlier and the later round."""
    return f"{SERIES}_{last_year - 1 - ROUND_GAP}", f"{SERIES}_{last_year - 1}"


def _countries(countries: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """About 125 countries, low- and middle-income ones first, each with a share of respondents
    (log-normal, so a few countries have many respondents and most have a handful)."""
    members = countries[~countries.get("is_aggregate", pd.Series(False, index=countries.index)).fillna(False)]
    members = members[members["who_region"].isin(list(NETWORKS))].copy()
    members["weight"] = np.where(members["income_group"].eq("High income"), 0.25, 1.0) * rng.random(len(members))
    members.loc[members["iso3"].isin(ANCHORS), "weight"] = 2.0
    chosen = members.nlargest(COUNTRY_COUNT, "weight").sort_values("iso3")
    chosen["share"] = rng.lognormal(0, 1.0, len(chosen)) + np.where(chosen["iso3"].isin(ANCHORS), 3.0, 0.0)
    chosen["share"] /= chosen["share"].sum()
    chosen["network"] = chosen["who_region"].map(NETWORKS)
    return chosen.reset_index(drop=True)


def _pick(rng: np.random.Generator, options: dict, size: int) -> np.ndarray:
    names = list(options)
    shares = np.array([options[n][0] for n in names], dtype=float)
    return np.array(names, dtype=object)[rng.choice(len(names), size=size, p=shares / shares.sum())]


def generate(countries: pd.DataFrame, source_code: str, last_year: int) -> dict[str, pd.DataFrame]:
    """dim_survey, survey_respondent, survey_item and survey_response for the two synthetic rounds."""
    rng = np.random.default_rng(SEED)
    chosen = _countries(countries, rng)
    # Richer countries' institutions report somewhat more capacity, so capacity tracks health-system indicators.
    income = chosen["income_group"].map(INCOME_EFFECTS).fillna(0.0).to_numpy()[:, None]
    country_effect = income + rng.normal(0, 0.25, (len(chosen), len(LEVELS)))
    items = pd.DataFrame(ITEMS, columns=ITEM_COLUMNS)
    level_index = items["level"].map({level: i for i, level in enumerate(LEVELS)}).to_numpy()
    domain_base = items["domain"].map({d: v[0] for d, v in DOMAINS.items()}).to_numpy()
    domain_need = items["domain"].map({d: v[1] for d, v in DOMAINS.items()}).to_numpy()
    domain_growth = items["domain"].map({d: v[2] for d, v in DOMAINS.items()}).to_numpy()
    gender_domain = (items["domain"] == "Gender and power").to_numpy()
    networking = (items["level"] == "network").to_numpy()

    surveys, item_frames, respondent_frames, response_frames = [], [], [], []
    for round_index, code in enumerate(survey_codes(last_year)):
        year = last_year - 1 - ROUND_GAP * (1 - round_index)
        surveys.append({
            "survey_code": code, "title": "HPSR capacity self-assessment (synthetic demo)", "year": year,
            "source_code": source_code, "series": SERIES,
            "description": "Made-up responses for demonstration: individual, organisational and network "
                           "capacity in ten competency domains, rated as current asset and as need, 1-5.",
        })
        asked = items[~items["later_only"]] if round_index == 0 else items
        asked_mask = items["item_code"].isin(asked["item_code"]).to_numpy()
        item_frames.append(asked.drop(columns="later_only").assign(survey_code=code, score_min=1, score_max=5))

        n = RESPONDENTS_PER_ROUND
        country = rng.choice(len(chosen), size=n, p=chosen["share"].to_numpy())
        org = _pick(rng, ORGANISATIONS, n)
        career = _pick(rng, CAREERS, n)
        sex = np.where(rng.random(n) < 0.52, "Female", "Male").astype(object)
        sex[rng.random(n) < 0.02] = None
        group = np.array(WORKING_GROUPS, dtype=object)[rng.integers(0, len(WORKING_GROUPS), n)]
        group[rng.random(n) < 0.35] = None
        network = chosen["network"].to_numpy()[country]
        respondent_frames.append(pd.DataFrame({
            "survey_code": code, "respondent_id": [f"R{year}-{k + 1:04d}" for k in range(n)],
            "iso3": chosen["iso3"].to_numpy()[country], "organisation_type": org,
            "role": [ROLES[o][int(u < 0.3)] for o, u in zip(org, rng.random(n))],
            "career_stage": career, "sex": sex, "regional_network": network, "working_group": group,
            "organisation_name": [f"Synthetic organisation {c:03d}-{k % 7}" for c, k in
                                  zip(country, rng.integers(0, 1000, n))],
        }))

        org_effect = np.array([ORGANISATIONS[o][1] for o in org])[:, level_index]
        net_effect = np.array([NETWORK_EFFECTS[w] for w in network])[:, level_index]
        career_effect = np.array([CAREERS[c][1] for c in career])[:, None] * (level_index == 0)
        # Women report fewer network assets (who leads partnerships) and more on gender and power.
        female = (sex == "Female")[:, None]
        gender_effect = np.where(female, np.where(gender_domain, 0.35, np.where(networking, -0.2, 0.0)), 0.0)
        mean = (2.75 + domain_base + org_effect + net_effect + career_effect + gender_effect
                + country_effect[country][:, level_index] + round_index * domain_growth
                + rng.normal(0, 0.4, (n, 1)))
        asset = np.clip(np.rint(mean + rng.normal(0, 0.7, mean.shape)), 1, 5)
        need = np.clip(np.rint(6.1 - 0.55 * asset + domain_need + rng.normal(0, 0.8, mean.shape)), 1, 5)
        kinds = items["kinds"].to_numpy()
        for kind, scores, skip in (("asset", asset, kinds == "need"), ("need", need, kinds == "asset")):
            missing = (rng.random(scores.shape) < 0.03) | skip | ~asked_mask
            scores = np.where(missing, np.nan, scores)
            keep = ~np.isnan(scores) | (asked_mask & ~skip)
            rows, cols = np.nonzero(keep)
            response_frames.append(pd.DataFrame({
                "survey_code": code, "respondent_id": respondent_frames[-1]["respondent_id"].to_numpy()[rows],
                "item_code": items["item_code"].to_numpy()[cols], "kind": kind,
                "score": pd.array(scores[rows, cols]).astype("Int64"),
            }))
    return {
        "dim_survey": pd.DataFrame(surveys),
        "survey_item": pd.concat(item_frames, ignore_index=True),
        "survey_respondent": pd.concat(respondent_frames, ignore_index=True),
        "survey_response": pd.concat(response_frames, ignore_index=True),
    }
