"""Publication of builds to read-only replicas: immutable artefacts, a manifest each, and a pointer moved last.

A publication store (a local or shared directory, or object storage through fsspec, e.g. s3://bucket/prefix)
holds, for every published build:

    warehouse-<build_id>.duckdb   the warehouse file, never rewritten once its manifest exists
    warehouse-<build_id>.json     its manifest: build id, sha256 and size, row counts, sources, build time
    current.json                  the pointer: which build replicas serve, written last, in one operation

`publish` uploads the artefact, then the manifest, then moves the pointer; an interruption at any step leaves
the pointer on the previous build. A replica's `Follower` reads the pointer at most every few seconds,
downloads a new build beside its warehouse file, checks size, sha256 and the build id inside the file, and
only then renames it over the warehouse: the app's connection cache (dashboard/data.py) opens the new file
on its next query and releases the old one when the last query on it ends. A build that fails its check is
refused, logged once, and the replica stays on the build it has.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard import db

POINTER = "current.json"
FORMAT = 1
_BUILD_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,79}$")  # names files: no path separators, no '..'
_CHUNK = 1 << 20

log = logging.getLogger(__name__)
if not log.handlers:  # Streamlit configures only its own loggers; a replica's operator should see these lines
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s publication: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class PublicationError(RuntimeError):
    """A publication store cannot be read or written, or what it holds is not a valid publication."""


@dataclass(frozen=True)
class Manifest:
    """What a published build is: enough to verify its file and to say what it holds."""

    build_id: str
    sha256: str
    size: int
    built_at: str
    code_version: str
    has_synthetic: bool
    row_counts: dict
    sources: list
    published_at: str
    format: int = FORMAT

    @property
    def artefact(self) -> str:
        return artefact_name(self.build_id)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "artefact": self.artefact}, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str) -> Manifest:
        try:
            raw = json.loads(text)
            manifest = cls(**{name: raw[name] for name in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError) as exc:
            raise PublicationError(f"{where}: not a build manifest ({exc})") from None
        check_build_id(manifest.build_id, where)
        if not re.fullmatch(r"[0-9a-f]{64}", str(manifest.sha256)):
            raise PublicationError(f"{where}: field 'sha256' is not a SHA-256 digest")
        return manifest


def artefact_name(build_id: str) -> str:
    return f"warehouse-{build_id}.duckdb"


def manifest_name(build_id: str) -> str:
    return f"warehouse-{build_id}.json"


def check_build_id(build_id, where: str) -> str:
    if not isinstance(build_id, str) or not _BUILD_ID.match(build_id):
        raise PublicationError(f"{where}: build id {str(build_id)[:100]!r} is not a valid build id")
    return build_id


class Store:
    """A publication store at a directory path or an fsspec URL. Writes are whole-object: a local file is
    written to a temporary name and renamed; an object store's PUT makes an object visible only complete."""

    def __init__(self, location: str) -> None:
        self.location = str(location)
        try:
            import fsspec
            from fsspec.implementations.local import LocalFileSystem

            self.fs, self.root = fsspec.core.url_to_fs(self.location)
        except (ImportError, ValueError) as exc:  # unknown protocol, or its package (e.g. s3fs) missing
            raise PublicationError(f"publication store {self.location}: {exc}") from None
        self.local = isinstance(self.fs, LocalFileSystem)
        self.root = self.root.rstrip("/")

    def _path(self, name: str) -> str:
        return f"{self.root}/{name}"

    @contextmanager
    def _reporting(self, name: str, action: str):
        """Any failure of the filesystem as one PublicationError naming the object; a remote store's client
        raises its own kinds (botocore's connection errors are not OSErrors). FileNotFoundError passes."""
        try:
            yield
        except FileNotFoundError:
            raise
        except Exception as exc:  # noqa: BLE001
            where = f"{self.location}/{name}" if name else self.location
            raise PublicationError(f"{where}: cannot be {action} ({exc})") from None

    def read_text(self, name: str) -> str | None:
        """The object's text, or None when it does not exist."""
        try:
            with self._reporting(name, "read"):
                if self.local:
                    return Path(self._path(name)).read_text(encoding="utf-8")
                return self.fs.cat_file(self._path(name)).decode("utf-8")
        except FileNotFoundError:
            return None

    def write_text(self, name: str, text: str) -> None:
        data = text.encode("utf-8")
        with self._reporting(name, "written"):
            if self.local:
                self._replace_local(name, lambda handle: handle.write(data))
            else:
                self.fs.pipe_file(self._path(name), data)

    def put_file(self, source: Path, name: str) -> None:
        with self._reporting(name, "written"):
            if self.local:
                with open(source, "rb") as stream:
                    self._replace_local(name, lambda handle: shutil.copyfileobj(stream, handle, _CHUNK))
            else:
                self.fs.put_file(str(source), self._path(name))

    def get_file(self, name: str, target: Path) -> None:
        try:
            with self._reporting(name, "downloaded"):
                if self.local:
                    shutil.copyfile(self._path(name), target)
                else:
                    self.fs.get_file(self._path(name), str(target))
        except FileNotFoundError:
            raise PublicationError(f"{self.location}/{name}: missing from the store") from None

    def size(self, name: str) -> int | None:
        try:
            with self._reporting(name, "read"):
                if self.local:
                    return os.stat(self._path(name)).st_size
                self.fs.invalidate_cache(self._path(name))
                return int(self.fs.info(self._path(name))["size"])
        except FileNotFoundError:
            return None

    def names(self) -> list[str]:
        try:
            with self._reporting("", "listed"):
                if self.local:
                    return sorted(p.name for p in Path(self.root).iterdir())
                self.fs.invalidate_cache(self.root)
                return sorted(p.rsplit("/", 1)[-1] for p in self.fs.ls(self.root, detail=False))
        except FileNotFoundError:
            return []

    def _replace_local(self, name: str, write) -> None:
        """Write through `write(handle)` to a temporary file in the store, flush it to disk, rename it over
        `name`: readers see the old object or the whole new one, never a part."""
        folder = Path(self.root)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            with open(temporary, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, folder / name)
        finally:
            temporary.unlink(missing_ok=True)
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(store: Store, build_id: str) -> Manifest | None:
    name = manifest_name(check_build_id(build_id, store.location))
    text = store.read_text(name)
    return None if text is None else Manifest.from_json(text, f"{store.location}/{name}")


def current(store: Store) -> str | None:
    """The build id the pointer names, or None before the first publication."""
    text = store.read_text(POINTER)
    if text is None:
        return None
    where = f"{store.location}/{POINTER}"
    try:
        build_id = json.loads(text)["build_id"]
    except (ValueError, KeyError, TypeError):
        raise PublicationError(f"{where}: not a publication pointer") from None
    return check_build_id(build_id, where)


def published(store: Store) -> list[Manifest]:
    """Every build with a manifest in the store, oldest publication first."""
    builds = [name[len("warehouse-"):-len(".json")] for name in store.names()
              if name.startswith("warehouse-") and name.endswith(".json")]
    manifests = [read_manifest(store, build_id) for build_id in builds if _BUILD_ID.match(build_id)]
    return sorted((m for m in manifests if m), key=lambda m: m.published_at)


def _move_pointer(store: Store, manifest: Manifest, previous: str | None) -> None:
    store.write_text(POINTER, json.dumps({
        "format": FORMAT, "build_id": manifest.build_id, "manifest": manifest_name(manifest.build_id),
        "sha256": manifest.sha256, "previous": previous, "moved_at": _now()}, indent=2))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def publish(warehouse: Path, location: str, progress=lambda message: None) -> Manifest:
    """Publish the warehouse file now at `warehouse` to the store at `location` and point replicas at it.

    The file is first copied beside itself (a build renaming a new file into place meanwhile cannot mix two
    builds), hashed and opened to read its build id; then artefact, manifest and pointer go up in that
    order. A build already published is not uploaded again (its checksum must match: artefacts are
    immutable); an artefact left without a manifest by an interrupted publication is replaced.
    """
    warehouse = Path(warehouse)
    store = Store(location)
    staging = warehouse.with_name(f".{warehouse.stem}.publish-{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            shutil.copyfile(warehouse, staging)
        except FileNotFoundError:
            raise PublicationError(f"no warehouse at {warehouse}: run `python -m dashboard build` first") from None
        digest, size = sha256_of(staging), staging.stat().st_size
        try:
            opened = db.open_read_only(staging)
        except Exception as exc:  # noqa: BLE001  any DuckDB error means the same: not a warehouse file
            raise PublicationError(f"{warehouse} is not a readable warehouse ({exc})") from None
        meta = opened.meta
        opened.connection.close()
        manifest = Manifest(
            build_id=check_build_id(opened.build_id, str(warehouse)), sha256=digest, size=size,
            built_at=str(meta["built_at"]), code_version=str(meta["code_version"]),
            has_synthetic=bool(meta["has_synthetic"]), row_counts=dict(meta["row_counts"]),
            sources=list(meta["sources"]), published_at=_now())
        previous = current(store)
        existing = read_manifest(store, manifest.build_id)
        if existing is not None and existing.sha256 != digest:
            raise PublicationError(f"build {manifest.build_id} is already published in {location} with another "
                                   "checksum; published artefacts are never replaced")
        if existing is None:
            progress(f"uploading {manifest.artefact} ({size / 1e6:,.1f} MB, sha256 {digest[:12]}…)")
            store.put_file(staging, manifest.artefact)
            store.write_text(manifest_name(manifest.build_id), manifest.to_json())
        else:
            progress(f"build {manifest.build_id} is already published; moving the pointer only")
            manifest = existing
        _move_pointer(store, manifest, previous)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return manifest


def point_to(location: str, build_id: str) -> Manifest:
    """Move the pointer to an already published build (a rollback, or forward again)."""
    store = Store(location)
    manifest = read_manifest(store, build_id)
    if manifest is None:
        known = ", ".join(m.build_id for m in published(store)[-5:]) or "none"
        raise PublicationError(f"build {build_id} is not published in {location} (latest: {known})")
    size = store.size(manifest.artefact)
    if size != manifest.size:
        raise PublicationError(f"{location}/{manifest.artefact}: {'missing' if size is None else f'{size:,} bytes'}"
                               f", its manifest says {manifest.size:,} bytes; pointer not moved")
    _move_pointer(store, manifest, current(store))
    return manifest


class Follower:
    """Keeps a replica's warehouse file on the build the store's pointer names.

    `poll()` is called at the start of every script run; it reads the pointer at most every `interval`
    seconds, on a background thread, so no session waits for a download. `sync()` does one check in the
    calling thread (the first start, and tests).
    """

    def __init__(self, location: str, target: Path, interval: float) -> None:
        self.location, self.target, self.interval = location, Path(target), interval
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._checked = float("-inf")
        self._installed: str | None = None
        self._refused: set[tuple[str, str]] = set()
        self.last_error: str | None = None

    def poll(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.interval or (self._thread is not None and self._thread.is_alive()):
            return
        self._checked = now
        self._thread = threading.Thread(target=self._sync_logged, name="publication-follower", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for a check started by `poll` (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _sync_logged(self) -> None:
        try:
            self.sync()
        except PublicationError as exc:
            if str(exc) != self.last_error:  # a store that stays unreachable is logged once, not every poll
                log.warning("%s; staying on the build this replica has", exc)
            self.last_error = str(exc)
        except Exception:  # a follower thread must never die silently and stop following
            log.exception("checking the publication store %s failed", self.location)

    def installed(self) -> str | None:
        """The build id of the warehouse file this replica serves (read from the file once, then tracked;
        None when there is no file, e.g. after someone deleted it)."""
        if not self.target.is_file():
            self._installed = None
        elif self._installed is None:
            try:
                opened = db.open_read_only(self.target)
            except Exception:  # noqa: BLE001  an unreadable file is replaced by the published one
                return None
            self._installed = opened.build_id
            opened.connection.close()
        return self._installed

    def sync(self) -> str | None:
        """Install the build the pointer names if it is not installed yet; returns the build now served.
        Raises PublicationError when the store cannot be read; a build failing its check is refused and
        logged, and the replica keeps the build it has."""
        with self._lock:
            self._checked = time.monotonic()
            store = Store(self.location)
            wanted = current(store)
            if wanted is None or wanted == self.installed():
                self.last_error = None
                return self.installed()
            manifest = read_manifest(store, wanted)
            if manifest is None:
                raise PublicationError(f"{self.location}/{POINTER} names build {wanted}, which has no manifest")
            if (manifest.build_id, manifest.sha256) in self._refused:
                return self.installed()
            reason = self._install(store, manifest)
            if reason:
                self._refused.add((manifest.build_id, manifest.sha256))
                log.error("refused build %s from %s: %s; staying on build %s", manifest.build_id, self.location,
                          reason, self.installed())
            else:
                log.info("switched to build %s from %s (was %s)", manifest.build_id, self.location,
                         self._installed)
                self._installed = manifest.build_id
            self.last_error = None
            return self.installed()

    def _install(self, store: Store, manifest: Manifest) -> str | None:
        """Download, verify and rename into place; returns why the build was refused, or None."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        incoming = self.target.with_name(f".{self.target.stem}.incoming-{uuid.uuid4().hex[:8]}.tmp")
        try:
            store.get_file(manifest.artefact, incoming)
            size = incoming.stat().st_size
            if size != manifest.size:
                return f"the artefact has {size:,} bytes, its manifest says {manifest.size:,}"
            digest = sha256_of(incoming)
            if digest != manifest.sha256:
                return f"checksum mismatch (sha256 {digest[:12]}…, manifest {manifest.sha256[:12]}…)"
            try:
                opened = db.open_read_only(incoming)
            except Exception as exc:  # noqa: BLE001
                return f"the artefact is not a readable warehouse ({exc})"
            inside = opened.build_id
            opened.connection.close()
            if inside != manifest.build_id:
                return f"the artefact holds build {inside}, not {manifest.build_id}"
            os.replace(incoming, self.target)
            return None
        finally:
            for leftover in (incoming, incoming.with_name(incoming.name + ".wal")):
                leftover.unlink(missing_ok=True)


_FOLLOWERS: dict[tuple[str, str], Follower] = {}
_FOLLOWERS_LOCK = threading.Lock()


def follower(location: str, target: Path, interval: float) -> Follower:
    """The process's one follower of `location` for `target`."""
    with _FOLLOWERS_LOCK:
        key = (str(location), str(target))
        if key not in _FOLLOWERS:
            _FOLLOWERS[key] = Follower(location, target, interval)
        return _FOLLOWERS[key]
