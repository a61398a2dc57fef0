"""Storyboards: saved views in order, to present full screen, share as a file, or hand out as HTML, PDF or
PowerPoint; also `python -m dashboard present`."""

import streamlit as st

from dashboard import components
from dashboard import state as store
from dashboard.frame import require_app_frame
from dashboard.present import ui
from dashboard.urlstate import PageState
from dashboard.views import storyboards as view

require_app_frame()

boards = store.list_storyboards()
by_id = {board.id: board for board in boards}
state = PageState("storyboards", ui.page_params(boards))
values = state.load()
state.save()
if values["present"] and values["board"] in by_id:
    ui.present(state, by_id[values["board"]], values["slide"])
    st.stop()

components.page_header("Storyboards", "Saved views in order: present them full screen (arrow keys or a clicker "
                                      "move between slides), share the file, or hand them out.")
components.notes(state.notes)
ui.import_file(state)
if not boards:
    components.empty_state("No storyboards yet: use “Add to storyboard” beside any page's title to save its view.")
    st.stop()
board = by_id[st.selectbox("Storyboard", list(by_id), key=state.key("board"), format_func=lambda i: view.board_label(by_id[i]))]
ui.board_actions(state, board)
if not board.slides:
    components.empty_state("This storyboard has no slides.")
    st.stop()
ui.slide_list(state, board)
st.caption("Each slide is re-drawn from the warehouse when shown, so it shows the data as of now.")
