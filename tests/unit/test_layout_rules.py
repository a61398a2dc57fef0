"""The layout's boundaries, checked on the source: pages thin, views and charts pure, caching in one place."""

import ast
from pathlib import Path

import pytest

from dashboard import navigation
from dashboard.config import PROJECT_ROOT

DASHBOARD = PROJECT_ROOT / "dashboard"


def imported(path: Path) -> set[str]:
    """Modules a file imports (`from a.b import c` gives a.b and a.b.c)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("path", sorted((DASHBOARD / "charts").glob("*.py")), ids=lambda p: p.name)
def test_charts_import_nothing_of_the_project_but_theme_and_layout(path):
    project = {name for name in imported(path) if name.startswith("dashboard")}
    allowed = {"dashboard.charts", "dashboard.charts.theme", "dashboard.charts.layout"}
    assert project <= allowed, f"{path.name} imports {sorted(project - allowed)}"
    assert "streamlit" not in imported(path)


@pytest.mark.parametrize("path", sorted((DASHBOARD / "views").glob("*.py")), ids=lambda p: p.name)
def test_views_are_pure(path):
    names = imported(path)
    assert not {n for n in names if n.split(".")[0] == "streamlit"}, f"{path.name} imports Streamlit"
    assert not names & {"dashboard.data", "dashboard.db", "dashboard.sql", "dashboard.data.run"}, path.name


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.script)
def test_pages_are_thin_and_have_a_view_of_their_name(page):
    path = PROJECT_ROOT / page.path
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)], f"{page.script} defines functions"
    text = path.read_text(encoding="utf-8")
    assert ".to_dict(" not in text and "altair_chart" not in text, "charts go through components.spec/chart"
    assert "pandas" not in imported(path) and "duckdb" not in imported(path)
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 130
    assert (DASHBOARD / "views" / page.script).is_file(), f"no dashboard/views/{page.script}"


def test_streamlit_caching_lives_only_in_data_py():
    for path in DASHBOARD.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "data.py":
            # clearing caches (the benchmark's cold runs) is allowed; declaring one is not
            assert "@st.cache_data" not in text and "@st.cache_resource" not in text, path


def test_every_page_script_is_in_the_navigation():
    scripts = {p.name for p in (PROJECT_ROOT / "pages").glob("*.py")}
    assert scripts == {page.script for page in navigation.PAGES}
