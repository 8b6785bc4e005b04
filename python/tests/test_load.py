"""edgecut.load against SQL."""
import sqlite3

import numpy as np
import pytest

import edgecut
from conftest import DEFAULT, cli


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    p = tmp_path_factory.mktemp("load") / "d.db"
    cli("run", DEFAULT, "--db", p, "--quiet", "--set", "frames=300", "-r", "1,3,4")
    return str(p)


def test_runs_and_itervars(db):
    r = edgecut.load(db)
    assert list(r.runs["runName"]) == ["General-1", "General-3", "General-4"]
    assert r.itervars == ["learner"]
    assert list(r.runs["learner"]) == ["mulinucb", "device-only", "edge-only"]
    con = sqlite3.connect(db)
    fp = dict(con.execute("SELECT runName, fingerprint FROM run"))
    assert dict(zip(r.runs["runName"], r.runs["fingerprint"])) == fp


def test_scalars_match_sql(db):
    r = edgecut.load(db)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT runId, moduleName, scalarName, scalarValue FROM scalar"
                       " ORDER BY runId, rowid").fetchall()
    got = list(zip(r.scalars["runId"], r.scalars["module"], r.scalars["name"],
                   r.scalars["value"]))
    assert len(got) == len(rows)
    for a, b in zip(got, rows):
        assert a[:3] == b[:3] and (a[3] == b[3] or (np.isnan(a[3]) and b[3] is None))
    md = r.scalar("meanDelay_s", "device[0]")
    assert set(md.columns) >= {"runName", "learner", "value"} and len(md) == 3


def test_frames_and_vectors_match_sql(db):
    r = edgecut.load(db)
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM frame").fetchone()[0]
    assert len(r.frames) == n == 900
    s = con.execute("SELECT sum(delay_ns) FROM frame").fetchone()[0]
    assert int(r.frames["delay_ns"].sum()) == s
    assert "learner" in r.frames.columns
    nv = con.execute("SELECT count(*) FROM vectorData").fetchone()[0]
    assert sum(len(t) for t in r.vectors["vectime"]) == nv
    assert (r.vectors["name"] == "capacity_bps").all()
    assert len(r.config) == con.execute("SELECT count(*) FROM runConfig").fetchone()[0]


def test_only_done_runs(db, tmp_path):
    import shutil
    p = tmp_path / "c.db"
    shutil.copy(db, p)
    con = sqlite3.connect(p)
    con.execute("UPDATE run SET status = 'running' WHERE runName = 'General-1'")
    con.commit()
    con.close()
    r = edgecut.load(str(p))
    assert list(r.runs["runName"]) == ["General-3", "General-4"]
    assert "General-1" not in set(r.scalars["runName"])


def test_not_a_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        edgecut.load(str(tmp_path / "none.db"))
    bad = tmp_path / "bad.db"
    bad.write_text("hello")
    with pytest.raises(ValueError):
        edgecut.load(str(bad))
