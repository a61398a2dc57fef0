"""Publication through object storage (s3:// via fsspec and s3fs), against moto's S3 server on localhost."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dashboard import db, publish
from tests.fixtures.warehouse import two_builds

moto_server = pytest.importorskip("moto.server", reason="moto[server] (requirements.txt) is not installed")
boto3 = pytest.importorskip("boto3")
s3fs = pytest.importorskip("s3fs", reason="s3fs (requirements.txt) is not installed")

BUCKET = "hss-publication"


@pytest.fixture(scope="module")
def endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint, monkeypatch):
    """An empty bucket; credentials and endpoint as the standard AWS variables a replica would set."""
    for name, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two different warehouse builds (A: the real fixture source; B: plus the synthetic one), as files."""
    return two_builds(tmp_path_factory.mktemp("s3builds"))


def build_id(path: Path) -> str:
    opened = db.open_read_only(path)
    opened.connection.close()
    return opened.build_id


def test_publish_follow_refuse_and_roll_back_through_s3(builds, bucket, tmp_path):
    a, b = builds
    location = f"s3://{BUCKET}/dashboard"
    target = tmp_path / "replica" / "warehouse.duckdb"

    publish.publish(a, location)
    keys = sorted(item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted([f"dashboard/warehouse-{build_id(a)}.duckdb", f"dashboard/warehouse-{build_id(a)}.json",
                           "dashboard/current.json"])
    pointer = json.loads(bucket.get_object(Bucket=BUCKET, Key="dashboard/current.json")["Body"].read())
    assert pointer["build_id"] == build_id(a) and pointer["sha256"] == hashlib.sha256(a.read_bytes()).hexdigest()

    follower = publish.Follower(location, target, interval=0)
    assert follower.sync() == build_id(a) and target.read_bytes() == a.read_bytes()

    # A new build whose artefact is damaged in the bucket after its manifest was written: refused.
    manifest = publish.publish(b, location)
    damaged = bytearray(b.read_bytes())
    damaged[100_000] ^= 0xFF
    bucket.put_object(Bucket=BUCKET, Key=f"dashboard/{manifest.artefact}", Body=bytes(damaged))
    assert follower.sync() == build_id(a) and target.read_bytes() == a.read_bytes()

    # Repaired (the same bytes again) and republished: a new follower (a restarted replica) takes it.
    bucket.put_object(Bucket=BUCKET, Key=f"dashboard/{manifest.artefact}", Body=b.read_bytes())
    restarted = publish.Follower(location, target, interval=0)
    assert restarted.sync() == build_id(b) and target.read_bytes() == b.read_bytes()

    publish.point_to(location, build_id(a))
    assert restarted.sync() == build_id(a) and target.read_bytes() == a.read_bytes()
    assert [m.build_id for m in publish.published(publish.Store(location))] == [build_id(a), build_id(b)]


def test_an_unreachable_store_is_one_line_and_leaves_the_replica_as_it_is(builds, tmp_path, monkeypatch):
    a, _ = builds
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(a, target)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    s3fs.S3FileSystem.clear_instance_cache()
    with pytest.raises(publish.PublicationError, match=r"^s3://nowhere/x/current.json: cannot be read"):
        publish.Follower("s3://nowhere/x", target, interval=0).sync()
    assert target.read_bytes() == a.read_bytes()
    s3fs.S3FileSystem.clear_instance_cache()
