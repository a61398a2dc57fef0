"""Publication to replicas: artefact, manifest, then pointer; replicas verify before switching; rollback."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import data, db, publish
from dashboard.cli import app as cli_app
from tests.fixtures.warehouse import two_builds


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two different warehouse builds (A: the real fixture source; B: plus the synthetic one), as files."""
    return two_builds(tmp_path_factory.mktemp("builds"))


def build_id(path: Path) -> str:
    opened = db.open_read_only(path)
    opened.connection.close()
    return opened.build_id


def source_codes(path: Path) -> list[str]:
    """The warehouse's own sources (the fixture imports plus the catalogue's publishers, which every build
    lists), as a manifest and the About page should name them."""
    opened = db.open_read_only(path)
    codes = sorted(opened.connection.execute("select source_code from dim_source").df()["source_code"])
    opened.connection.close()
    return codes


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pointer(store: Path) -> dict:
    return json.loads((store / publish.POINTER).read_text())


def test_publish_writes_a_verified_artefact_and_manifest_then_moves_the_pointer(builds, tmp_path):
    a, _ = builds
    store = tmp_path / "pub"

    manifest = publish.publish(a, str(store))

    assert manifest.build_id == build_id(a)
    artefact = store / f"warehouse-{manifest.build_id}.duckdb"
    assert artefact.read_bytes() == a.read_bytes()
    written = json.loads((store / f"warehouse-{manifest.build_id}.json").read_text())
    assert written["sha256"] == sha(a) and written["size"] == a.stat().st_size
    assert written["row_counts"]["fct_indicator_value"] == 19  # 12 national + 5 wealth + 2 sex values
    assert written["sources"] == source_codes(a) and written["has_synthetic"] is False
    assert {"FIXTURE_REAL", "WB_WDI", "WHO_GHO"} <= set(written["sources"])
    assert pointer(store)["build_id"] == manifest.build_id and pointer(store)["previous"] is None
    assert sorted(p.name for p in store.iterdir()) == sorted([artefact.name, f"warehouse-{manifest.build_id}.json",
                                                              "current.json"])


def test_an_interrupted_upload_leaves_the_old_pointer_and_no_partial_artefact(builds, tmp_path, monkeypatch):
    a, b = builds
    store = tmp_path / "pub"
    publish.publish(a, str(store))

    def copy_half_then_fail(source, target, length=0):
        target.write(source.read(1000))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.shutil, "copyfileobj", copy_half_then_fail)
    with pytest.raises(publish.PublicationError, match="No space left on device"):
        publish.publish(b, str(store))

    assert pointer(store)["build_id"] == build_id(a)
    assert sorted(p.name for p in store.iterdir()) == sorted(
        ["current.json", f"warehouse-{build_id(a)}.duckdb", f"warehouse-{build_id(a)}.json"])
    assert [p.name for p in b.parent.glob(".*.tmp*")] == []  # the staging copy is gone too


def test_a_publication_stopped_before_its_manifest_keeps_replicas_on_the_old_build(builds, tmp_path, monkeypatch):
    a, b = builds
    store, target = tmp_path / "pub", tmp_path / "replica" / "warehouse.duckdb"
    publish.publish(a, str(store))
    follower = publish.Follower(str(store), target, interval=0)
    assert follower.sync() == build_id(a)
    write_text = publish.Store.write_text

    def stop_at_the_manifest(self, name, text):
        if name.endswith(".json") and name != publish.POINTER:
            raise KeyboardInterrupt
        write_text(self, name, text)

    monkeypatch.setattr(publish.Store, "write_text", stop_at_the_manifest)
    with pytest.raises(KeyboardInterrupt):
        publish.publish(b, str(store))
    monkeypatch.setattr(publish.Store, "write_text", write_text)

    assert pointer(store)["build_id"] == build_id(a)
    assert follower.sync() == build_id(a) and sha(target) == sha(a)
    # Publishing again completes it: the artefact without a manifest is replaced, the pointer moved.
    assert publish.publish(b, str(store)).build_id == build_id(b)
    assert follower.sync() == build_id(b) and sha(target) == sha(b)


def test_a_corrupt_artefact_is_refused_by_its_checksum_and_the_replica_stays(builds, tmp_path, caplog):
    a, b = builds
    store, target = tmp_path / "pub", tmp_path / "replica" / "warehouse.duckdb"
    publish.publish(a, str(store))
    follower = publish.Follower(str(store), target, interval=0)
    follower.sync()
    manifest = publish.publish(b, str(store))
    artefact = store / manifest.artefact
    corrupted = bytearray(artefact.read_bytes())
    corrupted[len(corrupted) // 2] ^= 0xFF
    artefact.write_bytes(bytes(corrupted))

    with caplog.at_level(logging.INFO, logger="dashboard.publish"):
        publish.log.propagate = True
        try:
            assert follower.sync() == build_id(a)
            assert follower.sync() == build_id(a)  # refused once, not downloaded again on every check
        finally:
            publish.log.propagate = False

    assert sha(target) == sha(a)
    refusals = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(refusals) == 1
    assert f"refused build {manifest.build_id}" in refusals[0] and "checksum mismatch" in refusals[0]
    assert f"staying on build {build_id(a)}" in refusals[0]
    assert [p.name for p in target.parent.iterdir()] == ["warehouse.duckdb"]  # no download left behind


def test_rollback_moves_the_pointer_and_the_replica_follows(builds, tmp_path, use_warehouse):
    a, b = builds
    store, target = tmp_path / "pub", use_warehouse(tmp_path / "replica" / "warehouse.duckdb")
    publish.publish(a, str(store))
    publish.publish(b, str(store))
    follower = publish.Follower(str(store), target, interval=0)
    assert follower.sync() == build_id(b)
    assert data.warehouse().build_id == build_id(b)

    publish.point_to(str(store), build_id(a))

    assert pointer(store) | {"moved_at": None} == {
        "format": 1, "build_id": build_id(a), "manifest": f"warehouse-{build_id(a)}.json", "sha256": sha(a),
        "previous": build_id(b), "moved_at": None}
    assert follower.sync() == build_id(a)
    assert data.warehouse().build_id == build_id(a)
    assert "FIXTURE_SYNTHETIC" not in set(data.inventory_by_source()["source_code"])

    target.unlink()  # a replica whose file was deleted installs the pointed build again
    assert follower.sync() == build_id(a) and sha(target) == sha(a)


def test_republishing_a_build_moves_the_pointer_without_rewriting_it(builds, tmp_path):
    a, b = builds
    store = tmp_path / "pub"
    publish.publish(a, str(store))
    publish.publish(b, str(store))
    artefact = store / f"warehouse-{build_id(a)}.duckdb"
    before = artefact.stat().st_mtime_ns

    publish.publish(a, str(store))

    assert pointer(store)["build_id"] == build_id(a) and artefact.stat().st_mtime_ns == before
    assert [m.build_id for m in publish.published(publish.Store(str(store)))] == [build_id(a), build_id(b)]


def test_a_pointer_naming_a_path_is_refused(tmp_path):
    store = tmp_path / "pub"
    store.mkdir()
    (store / "current.json").write_text(json.dumps({"build_id": "../../etc/passwd"}))
    with pytest.raises(publish.PublicationError, match="is not a valid build id"):
        publish.Follower(str(store), tmp_path / "w.duckdb", interval=0).sync()


def test_publish_command_reports_problems_in_one_line(builds, tmp_path, monkeypatch):
    a, _ = builds
    monkeypatch.delenv("HSS_PUBLICATION", raising=False)
    runner = CliRunner()
    store = tmp_path / "pub"

    done = runner.invoke(cli_app, ["publish", "--to", str(store), "--warehouse", str(a)])
    assert done.exit_code == 0 and f"published build {build_id(a)}" in done.output
    listed = runner.invoke(cli_app, ["publish", "--to", str(store), "--list"])
    assert listed.output.startswith(f"* {build_id(a)}") and "19 values" in listed.output

    unknown = runner.invoke(cli_app, ["publish", "--to", str(store), "--rollback", "20990101T000000Z-ffffff"])
    assert unknown.exit_code == 1
    assert unknown.output.strip() == (f"error: build 20990101T000000Z-ffffff is not published in {store} "
                                      f"(latest: {build_id(a)})")
    nowhere = runner.invoke(cli_app, ["publish", "--warehouse", str(a)])
    assert nowhere.exit_code == 1 and "no publication store" in nowhere.output
    missing = runner.invoke(cli_app, ["publish", "--to", str(store), "--warehouse", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no warehouse at" in missing.output


def replica_page():
    import streamlit as st

    from dashboard import bootstrap, data

    bootstrap.ensure_warehouse()
    st.write(f"build {data.warehouse().build_id}")


def test_a_replica_installs_the_published_build_and_switches_between_reruns(builds, tmp_path, use_warehouse,
                                                                            monkeypatch):
    a, b = builds
    store, target = tmp_path / "pub", use_warehouse(tmp_path / "replica" / "warehouse.duckdb")
    monkeypatch.setenv("HSS_PUBLICATION", str(store))
    monkeypatch.setenv("HSS_PUBLICATION_POLL_SECONDS", "0")
    page = AppTest.from_function(replica_page, default_timeout=60)

    page.run()  # nothing published yet: a message, never a demo build inside the web server
    assert not page.exception and not target.exists()
    assert "has no published build yet" in page.error[0].value

    publish.publish(a, str(store))
    page.run()
    assert not page.exception and page.markdown[0].value == f"build {build_id(a)}"

    publish.publish(b, str(store))
    page.run()  # starts the check in the background; this run is served by the build it began with
    publish.follower(str(store), target, 0).join(timeout=60)
    page.run()
    assert not page.exception and page.markdown[0].value == f"build {build_id(b)}"


def swapping_page():
    import os
    import shutil

    import streamlit as st

    from dashboard import bootstrap, data

    bootstrap.ensure_warehouse()
    before = data.warehouse().build_id
    if os.environ.get("SWAP_FROM"):  # a build renamed into place in the middle of this run
        shutil.copyfile(os.environ.pop("SWAP_FROM"), os.environ["SWAP_TEMPORARY"])
        os.replace(os.environ["SWAP_TEMPORARY"], os.environ["HSS_WAREHOUSE"])
    sources = sorted(data.inventory_by_source()["source_code"])
    st.write(f"{before} {data.warehouse().build_id} {','.join(sources)}")


def test_a_build_swapped_in_mid_run_reaches_the_session_at_its_next_run(builds, tmp_path, use_warehouse,
                                                                         monkeypatch):
    a, b = builds
    target = use_warehouse(tmp_path / "warehouse.duckdb")
    shutil.copyfile(a, target)
    monkeypatch.setenv("SWAP_FROM", str(b))
    monkeypatch.setenv("SWAP_TEMPORARY", str(tmp_path / ".incoming.tmp"))
    page = AppTest.from_function(swapping_page, default_timeout=60)

    page.run()
    assert not page.exception
    assert page.markdown[0].value == f"{build_id(a)} {build_id(a)} {','.join(source_codes(a))}"

    page.run()
    assert not page.exception
    assert page.markdown[0].value == f"{build_id(b)} {build_id(b)} {','.join(source_codes(b))}"
    assert "FIXTURE_SYNTHETIC" in source_codes(b) and "FIXTURE_SYNTHETIC" not in source_codes(a)
