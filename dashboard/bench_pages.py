"""Page timings for the benchmark: each page's server-side run time under Streamlit's AppTest.

The pages run in a worker process (`python -m dashboard.bench_pages`, plan on stdin, one JSON line per
event on stdout), so that a run which takes too long can be stopped: AppTest's own timeout waits for the
script thread to reach its next Streamlit call, which a page stuck in a long loop may not do for minutes.
The parent kills a worker whose run exceeds the timeout, records "timed out after N s" for that
interaction, and goes on with the next interaction in a fresh worker.

Every run goes through app.py (the app frame) and switches to the page, as a user's request does; the
interaction is expressed only as URL query parameters, never through widgets, so it survives page
refactors. A "first run" is a fresh AppTest (a new session) with parameters not yet seen by the process's
caches; a "warm rerun" is the same AppTest run again with nothing changed. The default view is measured
with the process's Streamlit caches emptied before each first run (a page's first visit after a build).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.config import PROJECT_ROOT

APP = PROJECT_ROOT / "app.py"
WORKER_START_SECONDS = 120  # allowance for a fresh worker to import Streamlit, pandas and the pages


@dataclass
class Interaction:
    """One scripted interaction of a page: URL parameter sets to try, one per repetition."""

    name: str
    candidates: list[dict[str, str]]
    empty_caches: bool = False


@dataclass
class PagePlan:
    """One page to measure: `app` runs, then switches to the page at `path` (None: `app` is the page)."""

    url_path: str
    title: str
    path: str | None
    interactions: list[Interaction]
    app: str = str(APP)


@dataclass
class Outcome:
    """What was measured for one page interaction."""

    first_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    params: list[dict] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)  # notes of URL values the page did not accept
    status: str = "ok"


# ---- worker side -------------------------------------------------------------------------------------

def _imported_modules(path: Path) -> list[str]:
    """Top-level modules a script imports (so a worker can import them before anything is timed)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _preimport(paths: list[Path]) -> None:
    """Import what app.py and the pages import: a running server has paid that once, long before."""
    for path in paths:
        for name in _imported_modules(path):
            with contextlib.suppress(ImportError):  # `from package import function` names no module
                importlib.import_module(name)


def _is_seen(expected: dict, seen: list[dict]) -> bool:
    return any(all(state.get(key) == value for key, value in expected.items()) for state in seen)


def _url(app) -> dict[str, str]:
    return {key: (value[0] if isinstance(value, list) else value) for key, value in app.query_params.items()}


def _exception(app) -> str | None:
    """The page's first exception as "Type: first line of the message"."""
    if not app.exception:
        return None
    element = app.exception[0]
    lines = element.message.splitlines() or [""]
    return f"{element.proto.type.rsplit('.', 1)[-1]}: {lines[0]}"


def _first_and_warm(app, key: dict, params: dict, emit: Callable[[dict], None]) -> list[dict] | None:
    """Run `app` twice (a first run, then a warm rerun), emitting each; the URLs it ended on, or None
    when AppTest itself failed."""
    urls = []
    for kind in ("first", "warm"):
        emit({"event": "start", **key, "kind": kind, "params": params})
        start = time.perf_counter()
        try:
            app.run()
        except Exception as exc:  # noqa: BLE001  reported; the interaction stops
            emit({"event": "error", **key, "message": f"{type(exc).__name__}: {exc}"})
            return None
        seconds = time.perf_counter() - start
        urls.append(_url(app))
        emit({"event": "run", **key, "kind": kind, "params": params, "ms": seconds * 1000, "url": urls[-1],
              "exception": _exception(app),
              "fallbacks": [note.value for note in app.info if "in the link" in note.value]})
    return urls


def _worker(plan: dict, emit: Callable[[dict], None]) -> None:
    import logging

    import streamlit as st
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    config.set_option("client.showErrorDetails", "full")  # the report names the error a page raised
    scripts = {Path(page["app"]) for page in plan["pages"]}
    scripts |= {Path(page["app"]).parent / page["path"] for page in plan["pages"] if page["path"]}
    _preimport(sorted(scripts))
    timeout, repeats = plan["timeout"], plan["repeats"]
    for page in plan["pages"]:
        seen = plan["seen"].setdefault(page["url_path"], [])
        for interaction in page["interactions"]:
            key = {"page": page["url_path"], "interaction": interaction["name"]}
            if interaction["empty_caches"]:
                chosen = interaction["candidates"][:1] * repeats
            else:  # parameters new to this process: the page's default view changed by the candidate
                default = plan["defaults"].get(page["url_path"], {})
                chosen = [c for c in interaction["candidates"] if not _is_seen({**default, **c}, seen)][:repeats]
            for params in chosen:
                if interaction["empty_caches"]:
                    st.cache_data.clear()
                    st.cache_resource.clear()
                app = AppTest.from_file(page["app"], default_timeout=timeout + WORKER_START_SECONDS)
                if page["path"]:
                    app.switch_page(page["path"])
                for name, value in params.items():
                    app.query_params[name] = value
                urls = _first_and_warm(app, key, params, emit)
                if urls is None:
                    break
                seen += urls
                if interaction["empty_caches"]:
                    plan["defaults"].setdefault(page["url_path"], urls[0])
            emit({"event": "end", **key, "tried": len(chosen)})
    emit({"event": "done"})


def main() -> None:
    """Worker entry: read the plan from stdin, write events to stdout (anything else printed goes to stderr)."""
    plan = json.loads(sys.stdin.read())
    events = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)

    def emit(event: dict) -> None:
        events.write(json.dumps(event) + "\n")

    _worker(plan, emit)
    events.flush()
    os._exit(0)  # do not wait for Streamlit's helper threads


# ---- parent side -------------------------------------------------------------------------------------

def _plan(pages: list[PagePlan], remaining: list[tuple[str, str]], seen: dict, defaults: dict, timeout: float,
          repeats: int) -> dict:
    wanted = set(remaining)
    return {"timeout": timeout, "repeats": repeats, "seen": seen, "defaults": defaults, "pages": [
        {"url_path": p.url_path, "app": p.app, "path": p.path, "interactions": [
            {"name": i.name, "candidates": i.candidates, "empty_caches": i.empty_caches}
            for i in p.interactions if (p.url_path, i.name) in wanted]}
        for p in pages if any((p.url_path, i.name) in wanted for i in p.interactions)]}


def _start(plan: dict, warehouse: Path, log) -> tuple[subprocess.Popen, queue.Queue]:
    process = subprocess.Popen([sys.executable, "-m", "dashboard.bench_pages"], cwd=PROJECT_ROOT,
                               env={**os.environ, "HSS_WAREHOUSE": str(warehouse)}, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
    process.stdin.write(json.dumps(plan))
    process.stdin.close()
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


class PeakMemory:
    """A child process's peak resident memory, read from its own high-water mark (VmHWM) every
    `interval` seconds while it runs.

    Not getrusage: on Linux a child's ru_maxrss starts from the parent's resident size at fork, which
    for a benchmark holding a large warehouse open would hide the child's own figure.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.mb = 0.0
        self._status = Path(f"/proc/{pid}/status")
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.is_set():
            try:
                for line in self._status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.mb = max(self.mb, int(line.split()[1]) / 1024)
            except (OSError, ValueError):
                pass
            self._done.wait(self._interval)

    def stop(self) -> float:
        """Stop watching (call once the process has ended) and return the peak in MB."""
        self._done.set()
        self._thread.join()
        return self.mb


def measure(warehouse: Path, pages: list[PagePlan], *, repeats: int, timeout: float, log: Path,
            progress: Callable[[str], None]) -> tuple[dict[tuple[str, str], Outcome], float]:
    """Run every page interaction in `pages` against `warehouse`; returns the outcomes by (url_path,
    interaction) and the workers' peak memory in MB."""
    outcomes = {(p.url_path, i.name): Outcome() for p in pages for i in p.interactions}
    empties = {(p.url_path, i.name) for p in pages for i in p.interactions if i.empty_caches}
    remaining = list(outcomes)
    seen: dict[str, list[dict]] = {}
    defaults: dict[str, dict] = {}
    peak_mb = 0.0
    with open(log, "a") as log_file:
        while remaining:
            plan = _plan(pages, remaining, seen, defaults, timeout, repeats)
            process, lines = _start(plan, warehouse, log_file)
            memory = PeakMemory(process.pid)
            deadline, current, ended = time.monotonic() + WORKER_START_SECONDS + timeout, remaining[0], False
            while True:
                try:
                    line = lines.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    process.kill()
                    outcomes[current].status = f"timed out after {timeout:g} s"
                    progress(f"  {current[0]} / {current[1]}: timed out after {timeout:g} s")
                    remaining = remaining[remaining.index(current) + 1:]
                    break
                if line is None:
                    ended = True
                    break
                event = json.loads(line)
                deadline = time.monotonic() + timeout
                if event["event"] == "done":
                    continue
                current = (event["page"], event["interaction"])
                outcome = outcomes[current]
                if event["event"] == "start" and event["kind"] == "first":
                    outcome.params.append(event["params"])
                elif event["event"] == "run":
                    (outcome.first_ms if event["kind"] == "first" else outcome.warm_ms).append(event["ms"])
                    seen.setdefault(event["page"], []).append(event["url"])
                    if current in empties:
                        defaults.setdefault(event["page"], event["url"])
                    if event["exception"]:
                        outcome.exceptions.append(event["exception"])
                    outcome.fallbacks += [note for note in event["fallbacks"] if note not in outcome.fallbacks]
                elif event["event"] == "error":
                    outcome.status = f"error: {event['message']}"
                elif event["event"] == "end":
                    if event["tried"] == 0:
                        outcome.status = "no unseen parameter values"
                    remaining.remove(current)
                    progress(f"  {current[0]} / {current[1]}: {len(outcome.first_ms)} first runs, "
                             f"{len(outcome.warm_ms)} warm reruns")
                    if remaining:  # a worker stuck before its next run is charged to that interaction
                        current = remaining[0]
            process.wait()
            peak_mb = max(peak_mb, memory.stop())
            if ended and remaining:  # the worker died before finishing: say so and go on without it
                outcomes[current].status = f"worker exited with status {process.returncode} (see {log})"
                remaining = remaining[remaining.index(current) + 1:]
    return outcomes, peak_mb


if __name__ == "__main__":
    main()
