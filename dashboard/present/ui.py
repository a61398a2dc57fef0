"""Storyboard controls in the app: "Add to storyboard" on every page, the Storyboards page's actions, and
present mode (one slide at a time, full screen, keyboard and clicker keys, live controls)."""

from __future__ import annotations

import threading

import streamlit as st

from dashboard import components, data, navigation
from dashboard import state as store
from dashboard.markdown import plain
from dashboard.present import model, slides
from dashboard.urlstate import PageState, Param
from dashboard.views import storyboards as view

NEW = 0  # the "new storyboard" choice of the add form
ADD = "storyboard.add"
LIVE = "present.live"

# Present mode: no header, navigation or sidebar; large type for a 1280x720 projector. Fixed text.
PRESENT_STYLE = """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.8rem 2.5rem 1rem 2.5rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; padding: 0; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
[data-testid="stMetricValue"] { font-size: 2.4rem; }
.st-key-present-counter p { font-size: 1.6rem; font-weight: 600; }
</style>"""

# Arrow keys and Page Up/Down (what a presentation clicker sends) press the Previous/Next buttons. Runs in
# the page itself; it fetches nothing. Keys typed into a control are left alone.
KEYBOARD = """<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  if (doc.hssPresentKeys) return;
  doc.hssPresentKeys = true;
  const keys = {ArrowRight: "present-next", PageDown: "present-next", ArrowLeft: "present-prev",
                PageUp: "present-prev"};
  doc.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!keys[event.key] || event.altKey || event.ctrlKey || event.metaKey) return;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const button = doc.querySelector(".st-key-" + keys[event.key] + " button");
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
</script>"""


# ---- "Add to storyboard", on every page ----------------------------------------------------------------

def _add(page: str) -> None:
    """Save the page's current view (its URL parameters, as the address bar has them) as a new slide."""
    values = st.session_state
    params = {name: st.query_params[name] for name in model.PAGE_PARAMS[page] if name in st.query_params}
    title = (values[f"{ADD}.title"] or "").strip()[:model.MAX_TITLE] or navigation.BY_URL_PATH[page].title
    slide = model.Slide(title=title, note=(values[f"{ADD}.note"] or "")[:model.MAX_NOTE], page=page, params=params)
    if values[f"{ADD}.board"] == NEW:
        board = store.create((values[f"{ADD}.new"] or "").strip()[:model.MAX_TITLE] or "My storyboard", [slide])
    else:
        board = store.add_slide(values[f"{ADD}.board"], slide)
    st.session_state["storyboards.board"] = board.id
    st.toast(f"Added slide {len(board.slides)} to “{plain(board.title)}”.", icon=":material/playlist_add_check:")


def add_to_storyboard(page: str) -> None:
    """An "Add to storyboard" popover beside the page title: saves this view with a title and a speaker
    note into a new or existing storyboard. `page` is the page's url_path."""
    boards = {board.id: board for board in store.list_storyboards()}
    with components.header_row().popover("Add to storyboard", icon=":material/playlist_add:"), \
            st.form(f"{ADD}.form", border=False, clear_on_submit=True):
        # A radio, not a selectbox: the pages' own selectboxes keep their places in the element tree.
        choice = st.radio("Storyboard", [NEW, *boards], key=f"{ADD}.board",
                          format_func=lambda i: "New storyboard…" if i == NEW else view.board_label(boards[i]))
        st.text_input("New storyboard's title", key=f"{ADD}.new", placeholder="My storyboard",
                      disabled=False, help="Used when “New storyboard…” is chosen." if choice == NEW else None)
        st.text_input("Slide title", key=f"{ADD}.title", max_chars=model.MAX_TITLE,
                      placeholder=navigation.BY_URL_PATH[page].title)
        st.text_area("Speaker note", key=f"{ADD}.note", max_chars=model.MAX_NOTE, height=100)
        st.form_submit_button("Add this view", on_click=_add, args=(page,), icon=":material/add:", type="primary")


# ---- the Storyboards page ------------------------------------------------------------------------------

def page_params(boards: list[model.Storyboard]) -> list[Param]:
    """The Storyboards page's URL state: the chosen storyboard, present mode and the slide shown."""
    by_id = {board.id: board for board in boards}
    return [
        Param("board", "storyboard", kind="int", default=lambda v: boards[0].id if boards else NEW,
              choices=lambda v: list(by_id) or [NEW]),
        Param("present", "present mode", default=lambda v: False, kind="bool"),
        Param("slide", "slide", kind="int", default=lambda v: 1,
              choices=lambda v: range(1, len(by_id[v["board"]].slides) + 1) if v["board"] in by_id else [1]),
    ]


def import_file(state: PageState) -> None:
    """Import a storyboard file (JSON) shared by a colleague; a bad file gets one message naming where."""
    with st.popover("Import a storyboard file", icon=":material/upload_file:"):
        upload = st.file_uploader("Storyboard (.json)", type=["json"], key="storyboards-import",
                                  max_upload_size=1)
        if upload is None:
            return
        try:
            board = model.from_json(upload.getvalue())
        except model.StoryboardError as exc:
            st.error(plain(f"{upload.name[:60]} was not imported: {exc}."), icon=":material/error:")
            return
        if st.button(f"Import “{plain(board.title)}” ({len(board.slides)} slides)", type="primary", key="storyboards-do-import"):
            created = store.create(board.title, board.slides)
            st.session_state[state.key("board")] = created.id
            st.session_state[state.key("slide")] = 1
            st.rerun()


def _set(state: PageState, **values) -> None:
    for name, value in values.items():
        st.session_state[state.key(name)] = value


def _rename(state: PageState, board_id: int) -> None:
    title = (st.session_state.get("storyboards-rename") or "").strip()
    if title:
        store.rename(board_id, title[:model.MAX_TITLE])


def _duplicate(state: PageState, board_id: int) -> None:
    _set(state, board=store.duplicate(board_id).id, slide=1)


def _delete(state: PageState, board_id: int) -> None:
    store.delete(board_id)
    rest = store.list_storyboards()
    _set(state, board=rest[0].id if rest else NEW, slide=1)


def board_actions(state: PageState, board: model.Storyboard) -> None:
    """Present, rename, duplicate, delete, export and handouts of one storyboard."""
    from dashboard.present import handouts

    row = st.container(horizontal=True)
    row.button("Present", icon=":material/slideshow:", type="primary", key="storyboards-present",
               on_click=_set, args=(state,), kwargs={"present": True, "slide": 1}, disabled=not board.slides)
    with row.popover("Rename", icon=":material/edit:"):
        st.text_input("Title", value=board.title, key="storyboards-rename", max_chars=model.MAX_TITLE)
        st.button("Rename", on_click=_rename, args=(state, board.id), key="storyboards-do-rename")
    row.button("Duplicate", icon=":material/content_copy:", on_click=_duplicate, args=(state, board.id),
               key="storyboards-duplicate")
    with row.popover("Delete", icon=":material/delete:"):
        st.caption(f"Delete “{plain(board.title)}” and its {len(board.slides)} slides? This cannot be undone.")
        st.button("Delete for good", on_click=_delete, args=(state, board.id), key="storyboards-do-delete")
    stem = view.file_stem(board.title)
    row.download_button("JSON", data=model.to_json(board).encode("utf-8"), file_name=f"{stem}.json",
                        mime="application/json", icon=":material/file_download:", on_click="ignore",
                        key="storyboards-json", help="The storyboard file, to share or import elsewhere.")
    for fmt, label, mime in (("html", "HTML handout", "text/html"), ("pdf", "PDF", "application/pdf"),
                             ("pptx", "PowerPoint", handouts.PPTX_MIME)):
        row.download_button(label, data=lambda fmt=fmt: handouts.make(board, fmt), file_name=f"{stem}.{fmt}",
                            mime=mime, icon=":material/download:", on_click="ignore", key=f"storyboards-{fmt}",
                            disabled=not board.slides)


def _move(board_id: int, index: int, offset: int) -> None:
    store.move_slide(board_id, index, offset)


def _remove(board_id: int, index: int) -> None:
    store.remove_slide(board_id, index)


def slide_list(state: PageState, board: model.Storyboard) -> None:
    """The slides in order, each with its view, note and buttons to move, open, present or remove it."""
    last = len(board.slides) - 1
    for index, slide in enumerate(board.slides):
        with st.container(border=True, horizontal=True, vertical_alignment="center", key=f"storyboards-slide-{index}"):
            with st.container(gap="small"):
                st.markdown(f"**{index + 1}. {plain(slide.title)}**")
                st.caption(f"{model.page_title(slide.page)} · {plain(view.params_text(slide.params))}")
                if slide.note:
                    st.caption(f"Note: {plain(slide.note)}")
            st.button("", icon=":material/arrow_upward:", key=f"storyboards-up-{index}", disabled=index == 0,
                      on_click=_move, args=(board.id, index, -1), help="Move up")
            st.button("", icon=":material/arrow_downward:", key=f"storyboards-down-{index}", disabled=index == last,
                      on_click=_move, args=(board.id, index, 1), help="Move down")
            st.button("", icon=":material/slideshow:", key=f"storyboards-show-{index}", help="Present from here",
                      on_click=_set, args=(state,), kwargs={"present": True, "slide": index + 1})
            st.link_button("", url=slide.url, icon=":material/open_in_new:", help="Open this view in its page")
            st.button("", icon=":material/close:", key=f"storyboards-remove-{index}", help="Remove this slide",
                      on_click=_remove, args=(board.id, index))


# ---- present mode --------------------------------------------------------------------------------------

def _back_to_script(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def _live_controls(page: str, params: dict, prefix: str) -> dict:
    """The slide's country, year and indicator as controls (collapsed): changes apply to this slide until
    "Back to the script"."""
    names = model.PAGE_PARAMS.get(page, ())
    live: dict = {}
    with st.expander("Live controls: change the country or year"):
        columns = st.columns(3)
        if "country" in names:
            countries = data.catalogue_by_country()
            labels = dict(zip(countries["iso3"], countries["name"]))
            start = params.get("country")
            live["country"] = columns[0].selectbox("Country", list(labels), format_func=labels.get,
                                                   key=f"{prefix}country",
                                                   index=list(labels).index(start) if start in labels else None)
        if "year" in names:
            years = list(reversed(range(*_span())))
            start = int(params["year"]) if params.get("year", "").isdigit() else None
            live["year"] = columns[1].selectbox("Year", years, key=f"{prefix}year",
                                                index=years.index(start) if start in years else None)
        if "indicator" in names:
            options = data.indicator_options()
            start = params.get("indicator")
            live["indicator"] = columns[2].selectbox("Indicator", list(options), format_func=options.get,
                                                     key=f"{prefix}indicator",
                                                     index=list(options).index(start) if start in options else None)
        st.button("Back to the script", icon=":material/undo:", on_click=_back_to_script, args=(prefix,),
                  key=f"{prefix}reset")
    return {name: str(value) for name, value in live.items() if value is not None}


def _span() -> tuple[int, int]:
    from dashboard import filters

    years = filters.all_years()
    return years[0], years[-1] + 1


def _draw_ahead(board: model.Storyboard) -> None:
    """Draw every slide of the storyboard once in the background (into data.slide's cache), so that moving
    to the next slide only shows what is already drawn. Once per storyboard version and session."""
    done = st.session_state.setdefault("present.drawn", set())
    version = (board.id, model.to_json(board))
    if version in done:
        return
    done.add(version)

    def draw() -> None:
        for slide in board.slides:
            slides.drawn(slide.page, slide.params)

    threading.Thread(target=draw, name="present-draw-ahead", daemon=True).start()


def present(state: PageState, board: model.Storyboard, number: int) -> None:
    """One slide, full screen: title, counter, the view re-drawn from the warehouse now, its source line,
    Previous/Next (also by arrow keys and Page Up/Down), the speaker note and live controls, collapsed."""
    st.html(PRESENT_STYLE)
    total = len(board.slides)
    if not total:
        components.empty_state("This storyboard has no slides yet.")
        st.button("Exit present mode", on_click=_set, args=(state,), kwargs={"present": False})
        return
    slide = board.slides[number - 1]
    head, body, foot = st.container(), st.container(), st.container()
    with foot:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.button("Previous", icon=":material/arrow_back:", key="present-prev", disabled=number == 1,
                   on_click=_set, args=(state,), kwargs={"slide": number - 1})
        row.button("Next", icon=":material/arrow_forward:", key="present-next", disabled=number == total,
                   on_click=_set, args=(state,), kwargs={"slide": number + 1}, type="primary")
        row.button("Exit", icon=":material/close_fullscreen:", key="present-exit", on_click=_set, args=(state,),
                   kwargs={"present": False})
        row.link_button("Open in its page", url=slide.url, icon=":material/open_in_new:")
        live = _live_controls(slide.page, slide.params, f"{LIVE}.{board.id}.{number}.")
        if slide.note:
            with st.expander("Speaker note"):
                st.markdown(plain(slide.note))
    shown = slides.drawn(slide.page, {**slide.params, **live})
    _draw_ahead(board)
    with head:
        top = st.container(horizontal=True, vertical_alignment="center", gap="medium")
        top.title(plain(slide.title), width="stretch")
        if shown.synthetic:
            with top:
                components.synthetic_badge()
        top.container(key="present-counter", width="content").markdown(view.counter(number, total))
    with body:
        if shown.message:
            st.warning(f"**This slide cannot be shown from the warehouse as it is now.** {plain(shown.message)}",
                       icon=":material/visibility_off:")
        if shown.metrics:
            for column, (label, value) in zip(st.columns(min(len(shown.metrics), 5)), shown.metrics[:5]):
                column.metric(plain(label), value.split(" (")[0], border=True,
                              help=plain(value) if " (" in value else None)
        if shown.spec is not None:  # its source note is written on the chart
            components.chart(slides.for_present(shown.spec), width="stretch", key="present-chart")
        elif shown.source:
            st.caption(plain(shown.source))
    st.html(KEYBOARD, unsafe_allow_javascript=True)
