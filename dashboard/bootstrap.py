"""First start: build the demo warehouse before any page renders, once, however many sessions arrive."""

from __future__ import annotations

import threading

import streamlit as st

from dashboard import build, config, contract, data, db, publish

REQUIRED_TABLES = (*contract.TABLES, "meta_build", "agg_indicator", "agg_source", "agg_subgroup_pair", "agg_latest",
                   "national_by_country", "national_value")

_LOCK = threading.Lock()


def ensure_warehouse() -> None:
    """Build the warehouse from the bundled demo source if it does not exist, showing progress; on a
    replica following a publication store, install the published build instead and check the store's
    pointer (at most every HSS_PUBLICATION_POLL_SECONDS, in the background) before each run."""
    data.pin_run()  # this run reads one build from start to end, whatever is swapped in meanwhile
    target = config.path("warehouse")
    if config.get("publication"):
        _follow_publication(target)
    if target.exists():
        _check_current(target)
        return
    with _LOCK:  # a second session waits here and then finds the file built
        if target.exists():
            return
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
