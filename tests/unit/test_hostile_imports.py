"""Every importer refuses the hostile corpus through the CLI: non-zero exit, one line naming the file (and row
or column), no traceback, within memory and time limits, and data/ and the warehouse byte-identical."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT
from tests.fixtures.hostile import corpus
from tests.fixtures.warehouse import build_fixture

MEMORY_LIMIT = 3 * 1024**3  # address space of the import process: a bomb expanded in memory would exceed it
HANG = 300  # seconds: only catches a hang, never asserts speed


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    build_fixture(folder)
    return folder


@pytest.fixture(scope="module")
def big_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile_big")
    corpus.write_big(folder)
    return folder


def _checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".warehouse.build.lock"}


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_import(kind: str, path: Path, extra: list[str], data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HSS_IMPORTS_DIR": str(data / "imports"), "HSS_WAREHOUSE": str(data / "warehouse.duckdb"),
           "HSS_CACHE_DIR": str(data / "cache"), "HSS_SURVEY_SALT_FILE": str(data / "survey_salt.key"),
           "HSS_STATE_STORE": str(data / "state.sqlite")}
    return subprocess.run([sys.executable, "-m", "dashboard", "import", kind, str(path), *extra], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=HANG, preexec_fn=_limit_memory)


def _assert_refused(kind, path, extra, fragment, data):
    before = _checksums(data)
    result = _run_import(kind, path, extra, data)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines[:5]
    assert path.name in lines[0] and fragment.lower() in lines[0].lower(), lines[0]
    assert len(lines[0]) <= 2_100
    assert _checksums(data) == before


@pytest.mark.parametrize("kind,name,extra,fragment", corpus.SMALL, ids=[case[1] for case in corpus.SMALL])
def test_committed_hostile_file_is_refused(kind, name, extra, fragment, data_dir):
    _assert_refused(kind, corpus.HERE / name, extra, fragment, data_dir)


@pytest.mark.parametrize("kind,name,extra,fragment", corpus.BIG, ids=[case[1] for case in corpus.BIG])
def test_generated_hostile_file_is_refused(kind, name, extra, fragment, data_dir, big_dir):
    _assert_refused(kind, big_dir / name, extra, fragment, data_dir)


def test_every_committed_hostile_file_is_a_case_and_every_importer_has_cases():
    committed = {p.name for p in corpus.HERE.iterdir() if p.suffix != ".py" and p.is_file()}
    assert committed == {case[1] for case in corpus.SMALL}
    assert {case[0] for case in corpus.SMALL + corpus.BIG} == {"wdi", "gho", "heat", "survey", "espar", "boundaries"}
