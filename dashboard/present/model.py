"""Storyboards as data: a titled list of slides, each a page and its URL parameters with a title and a
speaker note; the JSON file format shared with colleagues, and its validation.

The format (documented in the README):

    {"title": str, "slides": [{"title": str, "note": str, "page": str, "params": {name: value or [values]}}]}

`page` is the page's URL path as in the address bar (`trends`; empty for the home page) and `params` its
URL query parameters. A list value is joined with commas, as the app writes lists in its links.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from dashboard import navigation

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_SLIDES = 200
MAX_TITLE = 200
MAX_NOTE = 5_000
MAX_VALUE = 2_000

# Each page's URL parameters (what its PageState writes to the address bar). A test runs every page and
# holds its address bar to this list, so a parameter added to a page must be added here.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "overview": ("indicator", "year", "who", "income", "classes", "zoom", "view"),
    "trends": ("mode", "indicator", "countries", "start", "end", "log", "indexed", "country", "block",
               "indicators", "median"),
    "country": ("country", "block", "regional"),
    "coverage": ("country", "year", "tab", "whatif", "by"),
    "equity": ("country", "indicator", "dimension", "measure", "ci", "tab", "group", "year"),
    "extract": ("indicators", "blocks", "domains", "countries", "who", "income", "wb", "start", "end", "dims",
                "subgroups", "sub"),
    "capacity": ("survey", "countries", "tab", "measure", "by", "level", "item", "first", "second", "indicator"),
    "about": (),
}


class StoryboardError(ValueError):
    """A storyboard file that cannot be read; the message names the slide and field."""


@dataclass(frozen=True)
class Slide:
    """One saved view: `page` is a navigation url_path (the home page's too), `params` its URL values."""

    title: str
    note: str
    page: str
    params: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"title": self.title, "note": self.note, "page": address_path(self.page),
                "params": dict(self.params)}

    @property
    def url(self) -> str:
        """The slide's view as a relative link of the app (what the address bar showed when it was saved)."""
        from urllib.parse import urlencode

        query = urlencode(self.params)
        return f"{address_path(self.page) or './'}{'?' + query if query else ''}"


@dataclass(frozen=True)
class Storyboard:
    title: str
    slides: tuple[Slide, ...] = ()
    id: int | None = None

    def to_dict(self) -> dict:
        return {"title": self.title, "format": FORMAT_VERSION, "slides": [s.to_dict() for s in self.slides]}


def home_page() -> str:
    return next(page.url_path for page in navigation.PAGES if page.default)


def address_path(page: str) -> str:
    """The page as the address bar shows it: empty for the home page."""
    return "" if page == home_page() else page


def page_title(page: str) -> str:
    return navigation.BY_URL_PATH[page].title


def to_json(board: Storyboard) -> str:
    return json.dumps(board.to_dict(), indent=2, ensure_ascii=False)


def _text(value, where: str, name: str, limit: int, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise StoryboardError(f"{where}: field “{name}” must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise StoryboardError(f"{where}: field “{name}” is empty")
    if len(value) > limit:
        raise StoryboardError(f"{where}: field “{name}” is longer than {limit:,} characters")
    return value


def _value(value, where: str, name: str) -> str:
    if isinstance(value, list):
        if not all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
            raise StoryboardError(f"{where}: parameter “{name}” must be a list of text or numbers")
        text = ",".join(str(item) for item in value)
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, (str, int, float)):
        text = str(value)
    else:
        raise StoryboardError(f"{where}: parameter “{name}” must be text, a number or a list")
    if len(text) > MAX_VALUE:
        raise StoryboardError(f"{where}: parameter “{name}” is longer than {MAX_VALUE:,} characters")
    return text


def slide_from_dict(raw, number: int) -> Slide:
    """One slide of a file, checked: `number` counts from 1 in messages."""
    where = f"slide {number}"
    if not isinstance(raw, dict):
        raise StoryboardError(f"{where}: must be an object with title, note, page and params")
    unknown = sorted(set(raw) - {"title", "note", "page", "params"})
    if unknown:
        raise StoryboardError(f"{where}: unknown field “{unknown[0]}”")
    page = raw.get("page", "")
    if not isinstance(page, str):
        raise StoryboardError(f"{where}: field “page” must be text")
    page = page.strip("/") or home_page()
    if page not in PAGE_PARAMS:
        known = ", ".join(f"“{address_path(p)}”" for p in PAGE_PARAMS)
        raise StoryboardError(f"{where}: field “page”: unknown page “{page[:40]}” (known: {known})")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise StoryboardError(f"{where}: field “params” must be an object of URL parameters")
    for name in params:
        if name not in PAGE_PARAMS[page]:
            raise StoryboardError(f"{where}: field “params”: the {page_title(page)} page has no parameter "
                                  f"“{str(name)[:40]}”")
    return Slide(title=_text(raw.get("title"), where, "title", MAX_TITLE, required=True),
                 note=_text(raw.get("note"), where, "note", MAX_NOTE), page=page,
                 params={name: _value(value, where, name) for name, value in params.items()})


def from_dict(raw) -> Storyboard:
    if not isinstance(raw, dict):
        raise StoryboardError("the file must hold one JSON object with “title” and “slides”")
    title = _text(raw.get("title"), "storyboard", "title", MAX_TITLE, required=True)
    slides = raw.get("slides")
    if not isinstance(slides, list):
        raise StoryboardError("storyboard: field “slides” must be a list")
    if len(slides) > MAX_SLIDES:
        raise StoryboardError(f"storyboard: {len(slides)} slides, more than the {MAX_SLIDES} allowed")
    return Storyboard(title=title, slides=tuple(slide_from_dict(s, i) for i, s in enumerate(slides, 1)))


def from_json(data: bytes | str) -> Storyboard:
    """A storyboard read from a file's bytes, or StoryboardError saying what is wrong and where."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise StoryboardError(f"the file is {size:,} bytes; a storyboard file may be at most {MAX_FILE_BYTES:,}")
    try:
        raw = json.loads(data)
    except UnicodeDecodeError:
        raise StoryboardError("the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise StoryboardError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    return from_dict(raw)
