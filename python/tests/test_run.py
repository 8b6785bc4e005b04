"""edgecut.run with Python learners: same rows as the CLI, resume, jobs."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

import edgecut
from conftest import DEFAULT, ROOT, cli, fingerprints


class DeviceOnly:
    """Plays the device-only action: the last offload-free action."""

    def setup(self, space):
        self.a = int(np.flatnonzero(space.actions["offloads"] == 0)[-1])
        self.fb = 0

    def choose(self, obs):
        return self.a

    def feedback(self, obs, action, fb):
        assert action == self.a and fb["delay_s"] > 0
        self.fb += 1


def test_python_device_only_fingerprint(tmp_path):
    sets = {"frames": 3000}
    c = tmp_path / "c.db"
    cli("run", DEFAULT, "-r", "3", "--db", c, "--quiet", "--set", "frames=3000")
    p = str(tmp_path / "p.db")
    edgecut.run(DEFAULT, learner=DeviceOnly, db=p, runs="0", set=sets, quiet=True)
    assert fingerprints(p)["General-0"] == fingerprints(c)["General-3"]
    r = edgecut.load(p)
    conf = r.config[r.config["key"] == "learner"]["value"].tolist()
    assert conf == ["python:DeviceOnly"]
    # the report and the figures read it unchanged
    rep = cli("report", p)
    assert "python:DeviceOnly" in rep.stdout or "General" in rep.stdout


def test_one_object_feedback_counts(tmp_path):
    obj = DeviceOnly()
    edgecut.run(DEFAULT, learner=obj, db=str(tmp_path / "p.db"), runs="0",
                set={"frames": 500}, quiet=True)
    assert obj.fb == 500


def test_run_skips_done_runs(tmp_path):
    p = str(tmp_path / "p.db")
    calls = []

    def factory(space):
        calls.append(space.device)
        return DeviceOnly()
    sets = {"frames": 100, "repeat": 2}
    edgecut.run(DEFAULT, learner=factory, db=p, set=sets, quiet=True)
    assert len(calls) == 2
    edgecut.run(DEFAULT, learner=factory, db=p, set=sets, quiet=True)
    assert len(calls) == 2                      # both already done: skipped


def test_groups_and_jobs(tmp_path, world_ini):
    c = tmp_path / "c.db"
    cli("run", world_ini, "--db", c, "--quiet", "--set", "repeat=2")
    p = str(tmp_path / "p.db")
    edgecut.run(world_ini, learner=DeviceOnly, db=p, groups=["a"], set={"repeat": 2},
                jobs=2, quiet=True)
    assert fingerprints(p) == fingerprints(c)
    r = edgecut.load(p)
    keys = dict(zip(r.config["key"], r.config["value"]))
    assert keys["group.a.learner"] == "python:DeviceOnly"


SLOW = r'''
import sys, time
sys.path.insert(0, %r)
import edgecut
class Slow:
    def choose(self, obs):
        if obs["frame"] %% 50 == 0:
            time.sleep(0.01)
        return 14
edgecut.run(%r, learner=Slow, db=%r, set={"frames": 2000, "repeat": 6}, quiet=True)
'''


def test_killed_run_leaves_database_resumable(tmp_path):
    db = str(tmp_path / "k.db")
    script = tmp_path / "slow.py"
    script.write_text(SLOW % (os.path.join(ROOT, "python"), DEFAULT, db))
    proc = subprocess.Popen([sys.executable, str(script)], env=os.environ.copy())
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and done < 2:
        time.sleep(0.05)
        if os.path.exists(db):
            try:
                con = sqlite3.connect(db, timeout=5)
                done = con.execute("SELECT count(*) FROM run WHERE status = 'done'").fetchone()[0]
                con.close()
            except sqlite3.Error:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert done >= 2
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    status = dict(con.execute("SELECT runName, status FROM run"))
    con.close()
    assert list(status.values()).count("done") >= 2 and len(status) == 6
    before = fingerprints(db)
    r = edgecut.load(db)
    assert set(r.runs["runName"]) == set(before)       # only the finished ones
    # resume: the same call finishes the others and keeps the finished ones
    sys.path.insert(0, str(tmp_path))
    ns = {}
    exec(compile(SLOW.split("edgecut.run(")[0] % (os.path.join(ROOT, "python"),), "slow",
                 "exec"), ns)
    edgecut.run(DEFAULT, learner=ns["Slow"], db=db, set={"frames": 2000, "repeat": 6}, quiet=True)
    after = fingerprints(db)
    assert len(after) == 6
    assert all(after[k] == v for k, v in before.items())


class Timed(DeviceOnly):
    """Sets a timer in setup; counts on_timer calls."""
    fired = []

    def setup(self, space):
        super().setup(space)
        self.space = space
        space.timer(5 * 10**9, 7)

    def on_timer(self, now_ns, tag):
        Timed.fired.append((now_ns, tag, self.space.now()))


def test_timers(tmp_path):
    Timed.fired = []
    edgecut.run(DEFAULT, learner=Timed, db=str(tmp_path / "t.db"), set={"frames": 20},
                quiet=True)
    assert Timed.fired == [(5 * 10**9, 7, 5 * 10**9)]


def test_plot_reads_python_runs(tmp_path):
    p = str(tmp_path / "p.db")
    edgecut.run(DEFAULT, learner=DeviceOnly, db=p, set={"frames": 200}, quiet=True)
    cli("plot", p, "--out", tmp_path / "fig", "regret")
    assert (tmp_path / "fig" / "regret.png").exists()
