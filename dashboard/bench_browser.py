"""Browser timing for the benchmark: from starting `streamlit run app.py` to the first chart drawn in
headless Chromium, split into the time until the server answers and the time from then to the chart."""

from __future__ import annotations

import time
from pathlib import Path

from dashboard import localserver

CHART = ".vega-embed canvas, .vega-embed svg"


def measure(warehouse: Path, *, timeout: float, log: Path) -> dict:
    """Start the server on `warehouse`, open its default page, wait up to `timeout` seconds for a chart.

    Returns the two times in seconds, or a `status` saying why there is no number (no Chromium, no chart
    within the timeout, a server that did not start) rather than raising.
    """
    executable = localserver.chromium_path()
    if executable is None:
        return {"status": "not measured: no Chromium found (apt-get install chromium, or set HSS_CHROMIUM)"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {"status": f"not measured: playwright is not installed ({exc})"}
    out: dict = {"chromium": executable, "server_answer_s": None, "first_chart_after_answer_s": None}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=localserver.CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                start = time.perf_counter()
                with localserver.running_dashboard(warehouse, log) as url:
                    answered = time.perf_counter()
                    out["server_answer_s"] = answered - start
                    page.goto(url, timeout=timeout * 1000)
                    page.locator(CHART).first.wait_for(state="visible", timeout=timeout * 1000)
                    out["first_chart_after_answer_s"] = time.perf_counter() - answered
                    out["status"] = "ok"
            finally:
                browser.close()
    except PlaywrightError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        out["status"] = (f"no chart within {timeout:g} s" if "Timeout" in first_line
                         else f"not measured: {first_line}")
    except RuntimeError as exc:  # the server did not answer (localserver says why)
        out["status"] = f"not measured: {exc}"
    return out
