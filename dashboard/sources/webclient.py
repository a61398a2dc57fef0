"""A polite JSON client for publisher APIs: timeouts, retries with exponential back-off, a request rate
limit and a local response cache, so that `fetch` is gentle on the publisher and repeatable offline."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import requests

RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(RuntimeError):
    """An API could not be reached or answered with an error; the message is one line for the user."""


class UnknownIndicator(FetchError):
    """The API does not know the indicator code asked for."""


@dataclass(frozen=True)
class Response:
    """A parsed JSON body, when it was fetched (UTC, naive), and whether it came from the cache."""

    url: str
    body: object
    fetched_at: datetime
    from_cache: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Client:
    """GET JSON with caching, retries and a minimum interval between requests.

    A connection failure is reported at once as being offline (retrying cannot help); timeouts,
    HTTP 429 and 5xx answers are retried `retries` times, waiting `backoff * 2**attempt` seconds.
    Cached answers younger than `max_age` are returned without a request unless `refresh` is set.
    """

    def __init__(self, cache_dir: Path | None, session=None, *, timeout: tuple[float, float] = (10, 120),
                 retries: int = 4, backoff: float = 1.0, min_interval: float = 0.5,
                 max_age: timedelta = timedelta(days=1), refresh: bool = False,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = _now) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.session = session or requests.Session()
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.min_interval, self.max_age, self.refresh = min_interval, max_age, refresh
        self.sleep, self.clock, self.now = sleep, clock, now
        self._last_request: float | None = None
        self.requests_made = 0

    def get_json(self, url: str, params: dict | None = None) -> Response:
        """The JSON answer to GET url?params (params sorted so that equal requests share a cache entry)."""
        # Spaces as %20 rather than '+': OData servers read '+' in $filter literally.
        full = f"{url}?{urlencode(sorted(params.items()), quote_via=quote)}" if params else url
        cached = self._cached(full)
        if cached is not None:
            return cached
        host = urlsplit(full).netloc
        problem = ""
        for attempt in range(self.retries + 1):
            self._wait_turn()
            try:
                answer = self.session.get(full, timeout=self.timeout)
            except requests.ConnectionError as exc:
                raise FetchError(f"cannot reach {host}: offline or blocked ({type(exc).__name__}); "
                                 "connect to the internet or import downloaded files instead") from exc
            except requests.Timeout:
                problem = f"no answer within {self.timeout[1]:g} s"
            else:
                if answer.status_code in RETRY_STATUS:
                    problem = f"HTTP {answer.status_code}"
                elif answer.status_code >= 400:
                    raise FetchError(f"{host} answered HTTP {answer.status_code} for {full}")
                else:
                    try:
                        body = answer.json()
                    except ValueError as exc:
                        raise FetchError(f"{host} did not answer JSON for {full}") from exc
                    return self._store(full, body)
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** attempt)
        raise FetchError(f"{host} failed {self.retries + 1} times for {full}: {problem}")

    def _wait_turn(self) -> None:
        now = self.clock()
        if self._last_request is not None:
            wait = self.min_interval - (now - self._last_request)
            if wait > 0:
                self.sleep(wait)
                now += wait
        self._last_request = now
        self.requests_made += 1

    def _cache_file(self, full: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(full.encode()).hexdigest()[:32]}.json"

    def _cached(self, full: str) -> Response | None:
        path = self._cache_file(full)
        if self.refresh or path is None or not path.exists():
            return None
        entry = json.loads(path.read_text(encoding="utf-8"))
        fetched_at = datetime.fromisoformat(entry["fetched_at"])
        if entry.get("url") != full or self.now() - fetched_at > self.max_age:
            return None
        return Response(full, entry["body"], fetched_at, True)

    def _store(self, full: str, body: object) -> Response:
        fetched_at = self.now()
        path = self._cache_file(full)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
            staging.write_text(json.dumps({"url": full, "fetched_at": fetched_at.isoformat(), "body": body}),
                               encoding="utf-8")
            os.replace(staging, path)
        return Response(full, body, fetched_at, False)
