"""The app's pages, declared once: app.py builds the navigation from them; tests and the benchmark
visit every one of them, so a page added here is tested and measured without further edits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its script under pages/, its title, its URL path and its navigation section."""

    script: str
    title: str
    url_path: str
    section: str
    icon: str
    default: bool = False

    @property
    def path(self) -> str:
        return f"pages/{self.script}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Overview map", "overview", "Explore", ":material/public:", default=True),
    PageSpec("trends.py", "Trends", "trends", "Explore", ":material/show_chart:"),
    PageSpec("country.py", "Country profile", "country", "Explore", ":material/flag:"),
    PageSpec("coverage.py", "Coverage & quality", "coverage", "Explore", ":material/health_and_safety:"),
    PageSpec("equity.py", "Equity gaps", "equity", "Equity", ":material/balance:"),
    PageSpec("capacity.py", "Capacity survey", "capacity", "Capacity", ":material/groups:"),
    PageSpec("extract.py", "Extract", "extract", "Data", ":material/download:"),
    PageSpec("about.py", "About the data", "about", "Data", ":material/info:"),
    PageSpec("storyboards.py", "Storyboards", "storyboards", "Present", ":material/slideshow:"),
)

BY_URL_PATH = {page.url_path: page for page in PAGES}


def sections() -> dict[str, list[PageSpec]]:
    """Pages grouped by navigation section, in declaration order."""
    out: dict[str, list[PageSpec]] = {}
    for page in PAGES:
        out.setdefault(page.section, []).append(page)
    return out
