"""C errors as Python exceptions with the C message."""
import os
import sqlite3

import pytest

import edgecut
from conftest import DEFAULT, cli


def test_bad_config_names_file_and_line(tmp_path):
    p = tmp_path / "bad.ini"
    p.write_text("[General]\nframes = 10\nfsp = 2\n")
    with pytest.raises(edgecut.ConfigError) as e:
        edgecut.Env(str(p))
    assert "bad.ini:3:" in str(e.value) and "fsp" in str(e.value)
    assert e.value.exit_status == 2
    cli_msg = cli("run", p, "--db", tmp_path / "x.db", check=False).stderr
    assert str(e.value) in cli_msg


def test_bad_value_and_set():
    with pytest.raises(edgecut.ConfigError, match="fps"):
        edgecut.Env(DEFAULT, set={"fps": "fast"})
    with pytest.raises(edgecut.ConfigError, match="run 99"):
        edgecut.Env(DEFAULT, run=99)
    with pytest.raises(edgecut.ConfigError):
        edgecut.VecEnv(DEFAULT, section="nosuch")


def test_missing_file():
    with pytest.raises(edgecut.EdgecutError):
        edgecut.Env("/nonexistent/x.ini")


def test_run_bad_config(tmp_path):
    p = tmp_path / "bad.ini"
    p.write_text("[General]\nframes = -3\n")
    with pytest.raises(edgecut.ConfigError, match="bad.ini:2"):
        edgecut.run(str(p), learner=lambda: None, db=str(tmp_path / "r.db"), quiet=True)


class Boom:
    def __init__(self):
        self.n = 0

    def choose(self, obs):
        if obs["frame"] == 7:
            raise ZeroDivisionError("boom at frame 7")
        return 0

    def feedback(self, obs, action, fb):
        self.n += 1


def test_exception_in_choose_stops_the_run(tmp_path):
    db = str(tmp_path / "r.db")
    with pytest.raises(ZeroDivisionError, match="boom at frame 7") as e:
        edgecut.run(DEFAULT, learner=Boom, db=db, set={"frames": 100}, quiet=True)
    tb = "".join(__import__("traceback").format_exception(e.value))
    assert "in choose" in tb
    con = sqlite3.connect(db)
    rows = con.execute("SELECT runName, status FROM run ORDER BY runId").fetchall()
    # the failing run keeps its row, failed; no later run started
    assert rows[0] == ("General-0", "failed")
    assert all(s != "done" for _, s in rows)
    assert con.execute("SELECT count(*) FROM frame").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM scalar").fetchone()[0] == 0
    err = con.execute("SELECT attrValue FROM runAttr WHERE attrName = 'error'").fetchone()[0]
    assert "ZeroDivisionError" in err and "Traceback" in err
    con.close()
    assert edgecut.load(db).runs.empty


def test_choose_out_of_range(tmp_path):
    class Big:
        def choose(self, obs):
            return 1000
    with pytest.raises(ValueError, match="outside"):
        edgecut.run(DEFAULT, learner=Big(), db=str(tmp_path / "r.db"), runs="0",
                    set={"frames": 10}, quiet=True)


def test_cli_without_python(tmp_path):
    p = cli("run", DEFAULT, "-r", "0", "--db", tmp_path / "x.db", "--set", "learner=python:X",
            "--set", "frames=10", check=False)
    assert p.returncode == 1 and "no Python learner is attached" in p.stderr
    p = cli("run", DEFAULT, "--set", "learner=python:bad name", "--db", tmp_path / "y.db",
            check=False)
    assert p.returncode == 2 and "learner" in p.stderr


def test_exception_in_a_worker_process(tmp_path):
    db = str(tmp_path / "r.db")
    with pytest.raises(edgecut.LearnerError, match="ZeroDivisionError"):
        edgecut.run(DEFAULT, learner=Boom, db=db, set={"frames": 100, "repeat": 2}, jobs=2,
                    quiet=True)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM run WHERE status = 'done'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM frame").fetchone()[0] == 0
    con.close()
