"""Present-mode and handout timings for the benchmark: a ten-slide storyboard across the pages, stepped
through with Next in present mode under Streamlit's AppTest (server-side time of each move to the next
slide), each slide drawn by the renderer alone, and the HTML, PDF and PowerPoint handouts written.

Runs in a child process (`python -m dashboard.bench_present`, plan on stdin, JSON on stdout) with its own
temporary state store, so the user's storyboards are never touched.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from dashboard.config import PROJECT_ROOT

APP = PROJECT_ROOT / "app.py"
STORYBOARDS = "pages/storyboards.py"
INTRODUCTION_SECONDS = 10  # a presenter's first words, while present mode draws the storyboard ahead
HANDOUT_REPEATS = 2  # a ten-slide PDF takes seconds; two runs give a median without doubling the benchmark


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _step_through(board_id: int, count: int, timeout: float, pause: float = 0) -> tuple[list[float], list[str]]:
    """Open present mode on slide 1, wait `pause` seconds, press Next until the last slide: each move's run
    time in ms, and any exception or placeholder seen."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=timeout)
    app.switch_page(STORYBOARDS)
    app.query_params.update({"board": str(board_id), "present": "1", "slide": "1"})
    app.run()
    time.sleep(pause)
    times, problems = [], []
    for _ in range(count - 1):
        app.button(key="present-next").click()
        start = time.perf_counter()
        app.run()
        times.append(_ms(start))
        problems += [f"{e.message.splitlines()[0]}" for e in app.exception]
        problems += [w.value for w in app.warning if "cannot be shown" in w.value]
    return times, problems


def _measure(plan: dict) -> dict:
    import logging

    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    for module in (cache_data_api, cache_resource_api):
        logging.getLogger(module.__name__).setLevel(logging.ERROR)
    from dashboard import state
    from dashboard.present import handouts, model, slides

    repeats = plan["repeats"]
    board = state.create("Benchmark storyboard", [model.Slide(**slide) for slide in plan["slides"]])
    first, problems = _step_through(board.id, len(board.slides), plan["timeout"])
    import streamlit as st

    st.cache_data.clear()  # cold caches again, but now a presenter's introduction before the first Next
    paced, _ = _step_through(board.id, len(board.slides), plan["timeout"], pause=INTRODUCTION_SECONDS)
    warm = []
    for _ in range(repeats):
        times, _ = _step_through(board.id, len(board.slides), plan["timeout"])
        warm += times
    render = []
    for _ in range(repeats):
        for slide in board.slides:
            start = time.perf_counter()
            slides.render(slide.page, slide.params)
            render.append(_ms(start))
    files = {}
    for fmt in handouts.FORMATS:
        files[fmt] = []
        for _ in range(HANDOUT_REPEATS):
            start = time.perf_counter()
            size = len(handouts.make(board, fmt))
            files[fmt].append(_ms(start))
        files[f"{fmt}_bytes"] = size
    return {"slides": len(board.slides), "next_first_ms": first, "next_paced_ms": paced, "next_warm_ms": warm, "render_ms": render,
            "handout_ms": {fmt: files[fmt] for fmt in handouts.FORMATS},
            "handout_bytes": {fmt: files[f"{fmt}_bytes"] for fmt in handouts.FORMATS},
            "problems": sorted(set(problems))}


def _use_state_store(plan: dict) -> None:
    os.environ["HSS_STATE_STORE"] = str(Path(plan["state_store"]))


def main() -> None:
    from dashboard.bench_baseline import child_main

    child_main(_measure, prepare=_use_state_store)


if __name__ == "__main__":
    main()
