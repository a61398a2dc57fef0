"""Load driver: many simultaneous sessions through every page of a running dashboard, over Streamlit's own
WebSocket protocol (no browser), counting failures and timing each interaction.

Each simulated session opens `/_stcore/stream` as the browser does and, for each interaction, sends a
`BackMsg.rerun_script` naming the page (its URL path, then its script hash once the navigation has told
us) and the URL parameters, then reads `ForwardMsg`s until the run's `script_finished`. An interaction's
time runs from sending to that message. A failure is a rendered exception element, an error box
(`st.error`), a page the server could not find or did not run, a run that ended with a compile error, a
dropped connection or a timeout. The interactions are the benchmark's (dashboard/bench.py: SCRIPTS, with
values drawn from the warehouse by `bench.samples`), so a page added to the navigation or a new scripted
interaction is driven here too. Only servers on this machine are driven, and every run is bounded in
sessions, interactions and time.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import numpy as np

from dashboard import navigation

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_SESSIONS = 200
MAX_INTERACTIONS = 1_000  # per session
MAX_MESSAGE_BYTES = 256 * 2**20  # a page's largest ForwardMsg (a table or map's data) is far below this
MESSAGE_CHARS = 300  # of a failure message kept in the report
# The About page's build line (pages/about.py): "Build <build_id> · built ...".
BUILD_LINE = re.compile(r"\bBuild (\S+) · built")
# The navigation reports the default page with an empty URL path.
DEFAULT_PAGE = next(page.url_path for page in navigation.PAGES if page.default)


class LoadError(ValueError):
    """The load run cannot start (a remote host, a bound exceeded, no server answering)."""


@dataclass(frozen=True)
class Step:
    """One interaction: open `page` (navigation url_path) with these URL parameters."""

    page: str
    interaction: str
    params: dict = field(default_factory=dict)
    tag: str = ""  # free label carried into the record (e.g. the phase of a run)

    @property
    def query_string(self) -> str:
        return urlencode(self.params)


@dataclass
class Record:
    """What one interaction did: its time (None when it did not finish), the page that ran, problems."""

    session: int
    index: int
    page: str
    interaction: str
    query_string: str
    tag: str
    started: float  # seconds since the run started
    ms: float | None = None
    page_ran: str | None = None
    build_id: str | None = None
    problems: list[str] = field(default_factory=list)


# ---- address and server process ------------------------------------------------------------------------

def check_url(url: str) -> str:
    """`url` without a trailing slash, when it is plain http on this machine; LoadError otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or parts.port is None:
        raise LoadError(f"--url {url[:200]}: only http://127.0.0.1:PORT (or localhost, [::1]) can be driven; "
                        "load runs against a server on this machine only")
    if parts.query or parts.fragment or parts.username:
        raise LoadError(f"--url {url[:200]}: give the server's base address, without query or credentials")
    return url.rstrip("/")


def stream_url(url: str) -> str:
    return "ws" + url.removeprefix("http") + "/_stcore/stream"


def healthy(url: str, timeout: float = 5) -> bool:
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout).read().strip() == b"ok"
    except OSError:
        return False


def listening_pid(port: int) -> int | None:
    """The process listening on TCP `port` of this machine (read from /proc), or None when not found."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    targets = {f"socket:[{inode}]" for inode in inodes}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in targets:
                    return int(proc.name)
        except OSError:
            continue
    return None


def memory_mb(pid: int) -> dict | None:
    """Resident memory (VmRSS) and its high-water mark (VmHWM) of process `pid` in MB, or None."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    values = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in lines
              if line.startswith(("VmRSS:", "VmHWM:"))}
    return {"rss": round(values.get("VmRSS", 0), 1), "hwm": round(values.get("VmHWM", 0), 1)}


class MemoryWatch:
    """Resident memory of the server processes before, at the peak during, and after a run."""

    def __init__(self, pids: list[int], interval: float = 0.5):
        self.pids = pids
        self.before = {pid: memory_mb(pid) for pid in pids}
        self.peak = {pid: (m or {}).get("rss", 0.0) for pid, m in self.before.items()}
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(self._interval):
            for pid in self.pids:
                now = memory_mb(pid)
                if now:
                    self.peak[pid] = max(self.peak[pid], now["rss"])

    def stop(self) -> list[dict]:
        self._done.set()
        self._thread.join()
        out = []
        for pid in self.pids:
            before, after = self.before[pid], memory_mb(pid)
            entry = {"pid": pid, "rss_mb_before": before and before["rss"], "rss_mb_peak": self.peak[pid],
                     "rss_mb_after": after and after["rss"]}
            if before and after:
                entry["growth_mb"] = round(after["rss"] - before["rss"], 1)
            out.append(entry)
        return out


# ---- what the sessions do --------------------------------------------------------------------------------

def page_options(found) -> dict[str, list[tuple[str, list[dict]]]]:
    """Per page (url_path): its default view and each interaction scripted for it in bench.SCRIPTS, with
    the parameter sets drawn from the warehouse (scripts without values left out)."""
    from dashboard import bench

    options = {}
    for page in navigation.PAGES:
        choices = [(bench.DEFAULT_VIEW, [{}])]
        for name, make in bench.SCRIPTS.get(page.url_path, {}).items():
            values = make(found)
            if values:
                choices.append((name, values))
        options[page.url_path] = choices
    return options


def plan(found, sessions: int, interactions: int) -> list[list[Step]]:
    """`interactions` steps per session: session s visits the pages in navigation order starting at page
    s, so every page is visited as soon as sessions × interactions covers the navigation, and each visit
    is the page's default view or one of its scripted interactions, rotating per session and round."""
    options = page_options(found)
    pages = navigation.PAGES
    out = []
    for s in range(sessions):
        steps = []
        for j in range(interactions):
            page = pages[(s + j) % len(pages)]
            choices = options[page.url_path]
            name, values = choices[(s + j // len(pages)) % len(choices)]
            steps.append(Step(page.url_path, name, dict(values[(s + j) % len(values)])))
        out.append(steps)
    return out


def every_page_once(tag: str = "") -> list[Step]:
    """Each page of the navigation in its default view (the content check)."""
    from dashboard import bench

    return [Step(page.url_path, bench.DEFAULT_VIEW, {}, tag) for page in navigation.PAGES]


# ---- the protocol ------------------------------------------------------------------------------------------

def _element_problem(element) -> str | None:
    from streamlit.proto.Alert_pb2 import Alert

    kind = element.WhichOneof("type")
    if kind == "exception":
        exc = element.exception
        return f"exception {exc.type}: {exc.message}".strip()
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return f"error box: {element.alert.body}"
    return None


def _rerun_message(step: Step, url: str, hashes: dict[str, str]) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    # The default page lives at the site's root, where the browser names no page.
    path = "" if step.page == DEFAULT_PAGE else step.page
    state.query_string = step.query_string
    state.page_name = path
    state.page_script_hash = hashes.get(step.page, "")
    info = state.context_info
    info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-GB"
    info.url = f"{url}/{path}" + (f"?{step.query_string}" if step.params else "")
    return msg.SerializeToString()


async def _interact(ws, step: Step, url: str, hashes: dict[str, str], record: Record) -> None:
    """Send one rerun and read until its run finishes, filling `record`."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    await ws.send(_rerun_message(step, url, hashes))
    running = None
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            pages = {p.page_script_hash: p.url_pathname or DEFAULT_PAGE for p in msg.navigation.app_pages}
            hashes.update({path: page_hash for page_hash, path in pages.items()})
            running = pages.get(msg.navigation.page_script_hash)
        elif kind == "delta":
            delta = msg.delta
            elements = ([delta.new_element] if delta.WhichOneof("type") == "new_element"
                        else list(delta.new_transient.elements) if delta.WhichOneof("type") == "new_transient"
                        else [])
            for element in elements:
                problem = _element_problem(element)
                if problem:
                    record.problems.append(problem[:MESSAGE_CHARS])
                if element.WhichOneof("type") == "markdown":
                    found = BUILD_LINE.search(element.markdown.body)
                    if found:
                        record.build_id = found.group(1)
        elif kind == "page_not_found":
            record.problems.append(f"page not found: {msg.page_not_found.page_name or step.page}")
        elif kind == "script_finished":
            status = msg.script_finished
            if status in (ForwardMsg.FINISHED_EARLY_FOR_RERUN, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                continue  # the app reran itself (st.rerun) or a fragment ran: the interaction goes on
            record.ms = round((time.perf_counter() - start) * 1000, 1)
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                record.problems.append("the script finished with a compile error")
            record.page_ran = running
            if running is not None and running != step.page:
                record.problems.append(f"ran page '{running}' instead of '{step.page}'")
            return


async def _session(number: int, steps: Iterable[Step], url: str, timeout: float, deadline: float,
                   t0: float, ready: Callable[[], Awaitable[None]], records: list[Record], think: float = 0,
                   stopped: set[int] | None = None) -> None:
    """One simulated browser tab: connect, wait for every session to be connected, run `steps` in turn,
    pausing `think` seconds after each. After a timeout or a dropped connection the tab reconnects (as a
    reload would) and goes on; when it cannot connect at all, it stops. A session cut short by the bounds
    (MAX_INTERACTIONS, the deadline) adds its number to `stopped`."""
    import websockets

    async def connect():
        return await websockets.connect(stream_url(url), subprotocols=["streamlit"], max_size=MAX_MESSAGE_BYTES,
                                        ping_interval=None, open_timeout=timeout, compression=None)

    ws, hashes = None, {}
    try:
        ws = await connect()
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        records.append(Record(number, 0, "", "connect", "", "", round(time.monotonic() - t0, 3),
                              problems=[f"could not connect: {exc}"[:MESSAGE_CHARS]]))
    finally:
        await ready()
    if ws is None:
        return
    try:
        for index, step in enumerate(steps):
            if index >= MAX_INTERACTIONS or time.monotonic() > deadline:
                if stopped is not None:
                    stopped.add(number)
                break
            record = Record(number, index, step.page, step.interaction, step.query_string, step.tag,
                            round(time.monotonic() - t0, 3))
            records.append(record)
            try:
                if ws is None:
                    ws, hashes = await connect(), {}
                await asyncio.wait_for(_interact(ws, step, url, hashes, record), timeout)
                await asyncio.sleep(think)
            except TimeoutError:
                record.problems.append(f"no end of run within {timeout:g} s")
            except (OSError, websockets.WebSocketException) as exc:
                record.problems.append(f"connection dropped: {type(exc).__name__} {exc}"[:MESSAGE_CHARS])
            else:
                continue
            # The connection's state is unknown now (a late end of run would be taken for the next one's).
            if ws is not None:
                await ws.close()
            ws = None
            if not await asyncio.to_thread(healthy, url, min(timeout, 5)):
                records.append(Record(number, index + 1, "", "health", "", step.tag,
                                      round(time.monotonic() - t0, 3), problems=["server no longer answers"]))
                return
    finally:
        if ws is not None:
            await ws.close()


async def _drive(url: str, sessions: list[Iterable[Step]], timeout: float, max_seconds: float,
                 think: float) -> tuple[list[Record], float, set[int]]:
    records: list[Record] = []
    stopped: set[int] = set()
    connected = asyncio.Event()
    pending = [len(sessions)]

    async def ready():
        pending[0] -= 1
        if pending[0] == 0:
            connected.set()
        await connected.wait()

    t0 = time.monotonic()
    deadline = t0 + max_seconds
    await asyncio.gather(*(_session(i, steps, url, timeout, deadline, t0, ready, records, think, stopped)
                           for i, steps in enumerate(sessions)))
    return records, time.monotonic() - t0, stopped


def drive(url: str, sessions: list[Iterable[Step]], *, timeout: float = 60, max_seconds: float = 900,
          server_pids: list[int] | None = None, think: float = 0) -> dict:
    """Run every session's steps at once against the server at `url`, each pausing `think` seconds after
    each interaction (0: the next follows at once); return the report (see `summary`).

    `sessions` may hold lazy iterables (a session can keep going while something else happens, then
    finish with fixed steps). Server memory is read from `server_pids`, or from the process listening on
    the URL's port when not given.
    """
    url = check_url(url)
    if not 1 <= len(sessions) <= MAX_SESSIONS:
        raise LoadError(f"--sessions {len(sessions)}: give between 1 and {MAX_SESSIONS}")
    if not healthy(url):
        raise LoadError(f"--url {url}: no Streamlit server answers at {url}/_stcore/health")
    if server_pids is None:
        pid = listening_pid(urlsplit(url).port)
        server_pids = [pid] if pid else []
    watch = MemoryWatch(server_pids)
    cpu = time.process_time()
    try:
        records, seconds, stopped = _run_loop(_drive(url, sessions, timeout, max_seconds, think))
    finally:
        memory = watch.stop()
    return summary(records, seconds, url=url, sessions=len(sessions), timeout=timeout, think=think, memory=memory,
                   sessions_stopped_by_bounds=len(stopped), driver_cpu_seconds=round(time.process_time() - cpu, 1))


def _run_loop(coroutine):
    """`asyncio.run(coroutine)`, in a thread of its own when the calling thread already runs an event loop
    (a caller inside Playwright's sync API or a notebook), where asyncio.run would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# ---- report -------------------------------------------------------------------------------------------------

def _stats(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"n": len(values), "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(float(np.percentile(values, 95)), 1), "max_ms": round(max(values), 1)}


def summary(records: list[Record], seconds: float, **context) -> dict:
    """Interaction times (p50/p95/max over finished interactions), failures with page and message,
    interactions per second, pages visited, and every record."""
    from dashboard import bench

    records = sorted(records, key=lambda r: (r.session, r.index))
    finished = [r for r in records if r.ms is not None]
    failures = [{"session": r.session, "index": r.index, "page": r.page, "interaction": r.interaction,
                 "query_string": r.query_string, "message": message}
                for r in records for message in r.problems]
    pages = {}
    for page in navigation.PAGES:
        times = [r.ms for r in finished if r.page == page.url_path]
        pages[page.url_path] = {"visits": sum(r.page == page.url_path for r in records),
                                "ran": sum(r.page_ran == page.url_path for r in finished), "time": _stats(times)}
    return {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": bench.machine(),
            **context, "interactions": len(records), "finished": len(finished), "seconds": round(seconds, 1),
            "interactions_per_second": round(len(finished) / seconds, 2) if seconds else None,
            "time": _stats([r.ms for r in finished]), "failure_count": len(failures), "failures": failures,
            "pages": pages, "records": [asdict(r) for r in records]}


def to_text(report: dict) -> str:
    """A few lines for the terminal: times, throughput, memory, failures."""
    t = report["time"] or {}
    lines = [f"{report['sessions']} sessions, {report['interactions']} interactions "
             f"({report['finished']} finished) in {report['seconds']} s: "
             f"{report['interactions_per_second']} interactions/s; interaction time p50 {t.get('p50_ms')} ms, "
             f"p95 {t.get('p95_ms')} ms, max {t.get('max_ms')} ms"]
    for m in report.get("memory") or []:
        lines.append(f"server pid {m['pid']}: resident memory {m['rss_mb_before']} MB before, "
                     f"{m['rss_mb_peak']} MB at the peak, {m['rss_mb_after']} MB after "
                     f"(growth {m.get('growth_mb')} MB)")
    for page, entry in report["pages"].items():
        pt = entry["time"] or {}
        lines.append(f"  {page:<12} {entry['visits']:>4} visits  p50 {pt.get('p50_ms')} ms  p95 {pt.get('p95_ms')} ms")
    if report.get("sessions_stopped_by_bounds"):
        lines.append(f"{report['sessions_stopped_by_bounds']} session(s) stopped at the bounds (--max-seconds) "
                     "before their last interaction")
    lines.append(f"failures: {report['failure_count']}")
    for f in report["failures"][:20]:
        lines.append(f"  session {f['session']} #{f['index']} {f['page'] or '-'} ({f['interaction']}"
                     f"{' ?' + f['query_string'] if f['query_string'] else ''}): {f['message']}")
    if report["failure_count"] > 20:
        lines.append(f"  … and {report['failure_count'] - 20} more (see the JSON report)")
    return "\n".join(lines)
