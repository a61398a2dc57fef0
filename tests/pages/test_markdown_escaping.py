"""Text from imported files never becomes live Markdown or HTML: a HEAT file whose source and subgroup names
hold a link, an image and a script tag shows them as text on the Equity page."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.markdown import plain
from tests.fixtures.warehouse import build_from_heat_rows
from tests.pages.apptest import run_page

LINK, IMAGE, SCRIPT = "[click](http://evil)", "![x](http://x/y.png)", "<script>alert(1)</script>"
HOSTILE_SOURCE = f"DHS {LINK} {IMAGE} {SCRIPT}"
HOSTILE_POOREST = f"Poorest {LINK}"
HOSTILE_RICHEST = f"Richest {IMAGE} {SCRIPT}"
# A Markdown link or image: ](…) not preceded by a backslash, or raw HTML.
LIVE = re.compile(r"(?<!\\)\]\(|(?<!\\)<script|://", re.IGNORECASE)


def test_plain_escapes_links_images_html_and_emphasis_and_leaves_ordinary_punctuation():
    assert plain(LINK) == r"\[click\](http:\/\/evil)"
    assert plain(IMAGE) == r"!\[x\](http:\/\/x/y.png)"
    assert plain(SCRIPT) == r"\<script\>alert(1)\</script\>"
    assert plain(":red[x] $x$ **b** `c` ~~d~~ www.evil.org") == r":red\[x\] \$x\$ \*\*b\*\* \`c\` \~\~d\~\~ www\.evil.org"
    assert plain("# heading\n- item\n1. first") == "\\# heading\n\\- item\n1\\. first"
    assert plain("Kenya, 2024: 52.3% (95% CI 40-60)") == "Kenya, 2024: 52.3% (95% CI 40-60)"


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile_heat")
    with open(PROJECT_ROOT / "tests" / "fixtures" / "heat" / "ghana_sba.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["source"] = HOSTILE_SOURCE
        row["subgroup"] = {"Poorest": HOSTILE_POOREST, "Richest": HOSTILE_RICHEST}.get(row["subgroup"], row["subgroup"])
    return build_from_heat_rows(rows, folder, "hostile")


def _texts(app) -> list[str]:
    kinds = ("markdown", "caption", "warning", "info", "error", "success")
    return [element.value for kind in kinds for element in app.get(kind)]


def test_hostile_source_and_subgroup_names_show_as_text_on_the_equity_page(hostile_warehouse, use_warehouse):
    use_warehouse(hostile_warehouse)
    app = run_page("pages/equity.py", country="GHA", measure="d")
    assert not app.exception, app.exception
    texts = _texts(app)
    live = [text for text in texts if LIVE.search(text)]
    assert live == []
    shown = " ".join(texts)
    assert plain(HOSTILE_SOURCE) in shown  # the source caption, escaped whole
    assert plain(HOSTILE_POOREST) in shown and plain(HOSTILE_RICHEST) in shown  # the readings name the subgroups


def test_no_page_or_module_allows_unsafe_html():
    """Only the fixed style sheets and the present-mode keyboard script use st.html; nothing passes
    unsafe_allow_html (which would let data text become HTML)."""
    offenders = [str(path.relative_to(PROJECT_ROOT)) for folder in ("pages", "dashboard")
                 for path in (PROJECT_ROOT / folder).rglob("*.py")
                 if "unsafe_allow_html" in path.read_text(encoding="utf-8")]
    offenders += ["app.py"] if "unsafe_allow_html" in (PROJECT_ROOT / "app.py").read_text() else []
    assert offenders == []
    html_calls = {str(path.relative_to(PROJECT_ROOT)): re.findall(r"st\.html\((\w+)", path.read_text(encoding="utf-8"))
                  for folder in ("pages", "dashboard") for path in (PROJECT_ROOT / folder).rglob("*.py")}
    assert {k: v for k, v in html_calls.items() if v} == {
        "dashboard/components.py": ["COMPACT_STYLE"], "dashboard/present/ui.py": ["PRESENT_STYLE", "KEYBOARD"]}
