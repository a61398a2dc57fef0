"""Make sure a page runs inside the app frame (app.py: first-start build, theme, navigation)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_app_frame() -> None:
    """Call first in every page.

    Because the project keeps its pages in `pages/`, Streamlit starts each process in its legacy
    pages-directory mode, where a first request for a page URL (e.g. a shared link to /country) runs that
    page file alone, without app.py. Leaving that mode (as `st.navigation` itself does) and rerunning
    makes the same request go through app.py, so the shared link opens inside the real frame.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
