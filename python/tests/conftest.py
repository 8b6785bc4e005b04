"""Shared fixtures: the project root, the edgecut program, small configs."""
import os
import sqlite3
import subprocess

import pytest

ROOT = os.environ.get("EC_SRCDIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EDGECUT = os.environ.get("EC_EDGECUT") or os.path.join(ROOT, "build", "edgecut")
DEFAULT = os.path.join(ROOT, "configs", "default.ini")
SHARED_DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")


def cli(*args, check=True):
    """Run the edgecut program; its CompletedProcess."""
    p = subprocess.run([EDGECUT] + [str(a) for a in args], capture_output=True, text=True)
    if check and p.returncode:
        raise AssertionError("edgecut %s: exit %d\n%s" % (" ".join(map(str, args)),
                                                          p.returncode, p.stderr))
    return p


def fingerprints(db):
    """{runName: fingerprint} of the finished runs of db."""
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT runName, fingerprint FROM run WHERE status = 'done'"))
    finally:
        con.close()


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def world_ini(tmp_path):
    """A world of 6 devices in two groups sharing a PS edge, fixed rate, no
    phase (so every device's frames arrive together), 60 frames each."""
    p = tmp_path / "world.ini"
    p.write_text("""[General]
frames = 60
fps = 2
model = alexnet
device = rpi4
edge = edge-gpu
groups = a, b
group.a.count = 4
group.b.count = 2
group.b.device = jetson-tx2
edge.discipline = ps
uplink.trace = %s/traces/lte-uplink.trace
uplink.latency_ms = 10
downlink.rate_mbps = 20
learner = device-only
regret = off
""" % ROOT)
    return str(p)
