"""scripts/scale/seaweedfs.py: loopback only, signed requests only, stopped whole."""

from __future__ import annotations

import socket

from scripts.scale.seaweedfs import seaweedfs_start

from .fetch import fetch


def test_the_server_listens_on_loopback_and_refuses_anonymous_requests(seaweedfs):
    # then
    assert seaweedfs.endpoint_url.startswith("http://127.0.0.1:")
    assert fetch(f"{seaweedfs.endpoint_url}/").status == 403
    assert fetch(f"{seaweedfs.endpoint_url}/{seaweedfs.buckets[0]}/").status == 403
    listed = seaweedfs.client().list_buckets()["Buckets"]
    assert {bucket["Name"] for bucket in listed} >= set(seaweedfs.buckets)
    assert seaweedfs.rss_kib() > 0


def test_start_and_stop(tmp_path):
    # when
    server = seaweedfs_start(tmp_path, buckets=("one-bucket",))
    port = server.ports["s3.port"]
    # then
    assert server.started_in < 30
    assert server.client().head_bucket(Bucket="one-bucket")
    # when
    server.stop()
    # then
    assert server.process.poll() is not None
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
