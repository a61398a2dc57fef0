"""The committed world TopoJSON: parses, has the expected features, and covers the WHO member states."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import config, geo

COUNTRIES_CSV = config.CATALOGUE_DIR / "countries.csv"

# Members that may lack an outline at 1:110m: the UN small island developing states (UN-OHRLLS list,
# UN members and the associate members that belong to WHO) and the European microstates. A member
# outside this list without geometry means the file or the catalogue is wrong.
SMALL_STATES = frozenset({
    "ATG", "BHS", "BHR", "BRB", "BLZ", "CPV", "COM", "CUB", "DMA", "DOM", "FJI", "GRD", "GNB", "GUY",
    "HTI", "JAM", "KIR", "MDV", "MHL", "MUS", "FSM", "NRU", "PLW", "PNG", "KNA", "LCA", "VCT", "WSM",
    "STP", "SYC", "SGP", "SLB", "SUR", "TLS", "TON", "TTO", "TUV", "VUT", "COK", "NIU",
    "AND", "MCO", "SMR", "MLT",
})


def _geometries() -> list[dict]:
    return geo.world_topology()["objects"][geo.WORLD_OBJECT]["geometries"]


def test_world_topology_is_a_topology_with_the_countries_object():
    topology = geo.world_topology()
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) >= {geo.WORLD_OBJECT}
    assert len(topology["arcs"]) > 0


def test_world_topology_is_loaded_once():
    assert geo.world_topology() is geo.world_topology()


def test_world_topology_has_at_least_170_features():
    assert len(_geometries()) >= 170


def test_every_id_is_three_digits_or_a_documented_uncoded_area():
    uncoded = set()
    for g in _geometries():
        gid = g.get("id")
        if gid is None:
            uncoded.add(g["properties"]["name"])
        else:
            assert re.fullmatch(r"\d{3}", str(gid)), f"{g['properties']['name']} has id {gid!r}"
    assert uncoded == geo.UNCODED_NAMES


def test_ids_are_unique_and_topology_ids_lists_them():
    ids = [str(g["id"]) for g in _geometries() if "id" in g]
    assert len(ids) == len(set(ids))
    assert geo.topology_ids() == set(ids)
    assert {"404", "288", "076", "356"} <= geo.topology_ids()  # Kenya, Ghana, Brazil, India


def test_every_feature_has_a_name():
    assert all(g["properties"].get("name") for g in _geometries())


def test_who_member_states_have_geometry_except_small_states():
    if not COUNTRIES_CSV.exists():
        pytest.skip(f"country catalogue {COUNTRIES_CSV} not found")
    countries = pd.read_csv(COUNTRIES_CSV, dtype=str, keep_default_na=False)
    needed = {"iso3", "iso_n3", "who_region"}
    if not needed <= set(countries.columns):
        pytest.skip(f"{COUNTRIES_CSV} lacks column(s) {sorted(needed - set(countries.columns))}")
    members = countries[countries["who_region"].str.strip() != ""]
    assert len(members) >= 190, f"{COUNTRIES_CSV} lists only {len(members)} WHO member states"
    with_geometry = members["iso_n3"].str.zfill(3).isin(geo.topology_ids())
    lacking = sorted(members.loc[~with_geometry, "iso3"])
    assert with_geometry.sum() >= 165, f"only {with_geometry.sum()} members have geometry; lacking {lacking}"
    assert set(lacking) <= SMALL_STATES, f"members without geometry that are not small states: " \
                                         f"{sorted(set(lacking) - SMALL_STATES)}"
