"""First start: build the demo warehouse before any page renders, once, however many sessions arrive; later,
say plainly when the warehouse is missing or unreadable instead of rebuilding anything inside the server."""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

import streamlit as st

from dashboard import config, contract, data, db, publish
from dashboard.markdown import plain

REQUIRED_TABLES = (*contract.TABLES, "meta_build", "agg_indicator", "agg_source", "agg_subgroup_pair", "agg_latest",
                   "national_by_country", "national_value")

_LOCK = threading.Lock()
_WARM = threading.Event()  # set once this process has started importing the statistics libraries
WARM_UP_DELAY_S = 1.0  # after the first page run has ended, while the browser draws its charts
WARM_UP_MODULES = ("scipy.stats", "dashboard.equity", "dashboard.views.equity", "statsmodels.api")
_SERVED: set[str] = set()  # warehouse paths this process has served: a file that goes missing is not re-demoed


def ensure_warehouse() -> None:
    """Build the warehouse from the bundled demo source if this is a first start (no warehouse, no imports,
    none served before by this process), showing progress; otherwise stop with a message when it is missing.
    On a replica following a publication store, install the published build instead and check the store's
    pointer (at most every HSS_PUBLICATION_POLL_SECONDS, in the background) before each run."""
    data.pin_run()  # this run reads one build from start to end, whatever is swapped in meanwhile
    target = config.path("warehouse")
    if config.get("publication"):
        _follow_publication(target)
    if target.exists():
        _check_current(target)
        _SERVED.add(str(target))
        return
    if not _first_start(target):
        unavailable(db.WarehouseMissing(f"no warehouse at {target}"))
    with _LOCK:  # a second session waits here and then finds the file built
        if target.exists():
            return
        from dashboard import build  # the builder and the demo generator load only on a first start

        with st.status("First start: building the demo warehouse…", expanded=True) as status:
            try:
                result = build.build(target=target, demo_scale=config.get("demo_scale"),
                                     imports_dir=config.path("imports_dir"), progress=status.write)
            except build.BuildError as exc:
                status.update(label="The warehouse could not be built", state="error")
                st.error(str(exc))
                st.stop()
            status.update(label=f"Demo warehouse built ({result.row_counts['fct_indicator_value']:,} values)",
                          state="complete", expanded=False)


def end_of_run() -> None:
    """After every script run: let go of the run's build, and close replaced builds nobody reads any more."""
    data.unpin_run()
    data.release_replaced_builds()


def warm_up() -> None:
    """Import the statistics libraries behind the Equity and Capacity pages (scipy, statsmodels: about 1.3 s)
    in a background thread, once per process, a second after its first page run ends: the first chart a user
    waits for does not pay for them, and neither does the first equity view later."""
    if _WARM.is_set():
        return
    _WARM.set()

    def load() -> None:
        time.sleep(WARM_UP_DELAY_S)
        for name in WARM_UP_MODULES:
            importlib.import_module(name)

    threading.Thread(target=load, name="hss-warm-up", daemon=True).start()


def _first_start(target: Path) -> bool:
    """Only a fresh installation gets the demo built inside the server: a warehouse that was served and then
    vanished, or one that imports would rebuild (perhaps `--no-demo`), is the operator's to rebuild."""
    imports_dir = config.path("imports_dir")
    has_imports = imports_dir.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in imports_dir.iterdir())
    return str(target) not in _SERVED and not has_imports


def unavailable(exc: Exception) -> None:
    """Stop the page with what is wrong with the warehouse and how to rebuild it; the next run (the button,
    or any click) opens the file again, so the app recovers as soon as a good file is in place."""
    path = config.path("warehouse")
    what = "is missing" if isinstance(exc, db.WarehouseMissing) else "cannot be read"
    st.error(f"**The warehouse {what}.** The dashboard reads `{path}`; {db.REBUILD} on the server. "
             "Pages come back as soon as a good file is in place.", icon=":material/database:")
    if not isinstance(exc, db.WarehouseMissing):
        st.caption(plain(str(exc).split(": rebuild")[0]))
    st.button("Try again", icon=":material/refresh:", key="warehouse-try-again")
    st.stop()


def _follow_publication(target) -> None:
    follower = publish.follower(config.get("publication"), target, config.get("publication_poll_seconds"))
    if target.exists():
        follower.poll()
        return
    with _LOCK:
        if target.exists():
            return
        with st.status("First start: fetching the published warehouse…", expanded=True) as status:
            try:
                installed = follower.sync()
            except publish.PublicationError as exc:
                installed, reason = None, str(exc)
            else:
                reason = f"the store {follower.location} has no published build yet" if installed is None else ""
            if installed is None or not target.exists():
                status.update(label="No published warehouse could be installed", state="error")
                st.error(f"{reason or 'the published build was refused (see the server log)'}. Publish one "
                         "with `python -m dashboard publish`; this page retries when reloaded.")
                st.stop()
            status.update(label=f"Published build {installed} installed", state="complete", expanded=False)


def _check_current(target) -> None:
    """Stop with a clear message when the warehouse was built by an older version of the dashboard."""
    missing = db.missing_tables(data.warehouse(), REQUIRED_TABLES)
    if missing:
        st.error(f"The warehouse at {target} was built by an older version of the dashboard (it lacks "
                 f"{', '.join(missing)}). Rebuild it with `python -m dashboard build`.")
        st.stop()
