"""Text from data shown through Streamlit's Markdown, escaped so it stays text.

Streamlit renders captions, markdown, notes, alerts and help texts as Markdown with its own directives
(`:red[...]`, `:material/icon:`): a subgroup named `[click](http://evil)` would become a live link, and
`![x](http://x/y.png)` an image fetched from elsewhere. Every imported string (source and subgroup names,
indicator names and definitions, survey text) and every sentence built from one goes through `plain` on its
way to the page; sentences written in code add their own emphasis around it.
"""

from __future__ import annotations

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it also disarms Streamlit's
# directives (`:`), HTML (`<`), tables (`|`) and maths (`$`).
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def plain(text: object) -> str:
    """`text` as Markdown that renders exactly as the text: every ASCII punctuation character
    backslash-escaped (so a line starting with `#` or `-` is no heading or list either)."""
    return "".join(f"\\{ch}" if ch in _PUNCTUATION else ch for ch in str(text))
