"""Text from data shown through Streamlit's Markdown, escaped so it stays text.

Streamlit renders captions, markdown, notes, alerts and help texts as GitHub-flavoured Markdown with its own
directives (`:red[...]`, `:material/icon:`): a subgroup named `[click](http://evil)` would become a live link,
`![x](http://x/y.png)` an image fetched from elsewhere, and a bare `http://…` an autolink. Every imported
string (source and subgroup names, indicator names and definitions, survey text) and every sentence built
from one goes through `plain` on its way to the page; sentences written in code add their own emphasis.
"""

from __future__ import annotations

import re

# Characters that open Markdown or HTML anywhere in a line: links and images, directives, emphasis, code,
# HTML and autolinks, maths, strikethrough, tables. Ordinary punctuation (. , : ; ( ) % -) stays as it is.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>$~|])")
# Characters that open a block only at the start of a line: headings, lists, quotes, setext underlines.
_LINE_START = re.compile(r"^(\s*\d*)([#+\-=>.)])", re.MULTILINE)
# GFM turns bare web addresses into links.
_AUTOLINK = re.compile(r"(?i)(://|www\.)")


def plain(text: object) -> str:
    """`text` as Markdown that renders exactly as the text, never as a link, image, HTML or formatting."""
    escaped = _ANYWHERE.sub(r"\\\1", str(text))
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _AUTOLINK.sub(lambda m: ":\\/\\/" if m.group(1) == "://" else m.group(1)[:3] + "\\.", escaped)
