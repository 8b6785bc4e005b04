"""edgecut.load: a results database as pandas DataFrames, in the spirit of
OMNeT++'s Python analysis API (omnetpp.scave): one table per kind of result,
every row with its run's id, name, config and sweep values (itervars) as
columns.  Only finished runs (status 'done') are read, as the command line's
readers do.  The schema is the store's (sim/store/store_schema.c)."""
import sqlite3

import numpy as np
import pandas as pd


class Results:
    """The tables of one database: ``runs`` (a run a row: runId, runName,
    configName, runNumber, replicate, seed, fingerprint, startedAt,
    finishedAt, then a column per itervar), ``config`` (runId, key, value,
    order: every key of each run's expanded config), ``attrs`` (runId, name,
    value), ``scalars`` (run columns, module, name, value), ``vectors`` (run
    columns, vectorId, module, name, ``vectime`` (s) and ``vecvalue``, NumPy
    arrays, as OMNeT++ gives them) and ``frames`` (run columns and every
    column of the frame table; times in ns as stored, plus ``delay_s``).
    ``frames`` and ``vectors`` are read when first used."""

    def __init__(self, db):
        self.db = str(db)
        con = self._connect()
        try:
            runs = pd.read_sql_query(
                "SELECT runId, runName, configName, runNumber, replicate, seed, fingerprint,"
                " startedAt, finishedAt FROM run WHERE status = 'done' ORDER BY runId", con)
            iv = pd.read_sql_query(
                "SELECT runId, itervarName, itervarValue FROM runItervar WHERE runId IN"
                " (SELECT runId FROM run WHERE status = 'done')", con)
            self.itervars = list(dict.fromkeys(iv["itervarName"]))
            if len(iv):
                wide = iv.pivot(index="runId", columns="itervarName", values="itervarValue")
                wide = wide[self.itervars].apply(_numeric)
                runs = runs.merge(wide, left_on="runId", right_index=True, how="left")
            self.runs = runs
            self.config = pd.read_sql_query(
                "SELECT runId, configKey AS key, configValue AS value, configOrder AS 'order'"
                " FROM runConfig WHERE runId IN (SELECT runId FROM run WHERE status = 'done')"
                " ORDER BY runId, configOrder", con)
            self.attrs = pd.read_sql_query(
                "SELECT runId, attrName AS name, attrValue AS value FROM runAttr WHERE runId IN"
                " (SELECT runId FROM run WHERE status = 'done') ORDER BY runId", con)
            sc = pd.read_sql_query(
                "SELECT runId, moduleName AS module, scalarName AS name, scalarValue AS value"
                " FROM scalar WHERE runId IN (SELECT runId FROM run WHERE status = 'done')"
                " ORDER BY runId, rowid", con)
            self.scalars = self._with_runs(sc)
        finally:
            con.close()
        self._frames = None
        self._vectors = None

    def _connect(self):
        return sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)

    def _with_runs(self, df):
        cols = ["runId", "runName", "configName", "runNumber", "replicate"] + self.itervars
        return self.runs[cols].merge(df, on="runId", how="inner")

    @property
    def frames(self):
        if self._frames is None:
            con = self._connect()
            try:
                fr = pd.read_sql_query(
                    "SELECT * FROM frame WHERE runId IN (SELECT runId FROM run WHERE status ="
                    " 'done') ORDER BY runId, rowid", con)
            finally:
                con.close()
            fr["delay_s"] = fr["delay_ns"] / 1e9
            self._frames = self._with_runs(fr)
        return self._frames

    @property
    def vectors(self):
        if self._vectors is None:
            con = self._connect()
            try:
                v = pd.read_sql_query(
                    "SELECT vectorId, runId, moduleName AS module, vectorName AS name FROM vector"
                    " WHERE runId IN (SELECT runId FROM run WHERE status = 'done')"
                    " ORDER BY vectorId", con)
                t, x = [], []
                for vid in v["vectorId"]:
                    rows = con.execute("SELECT simtimeRaw, value FROM vectorData WHERE"
                                       " vectorId = ? ORDER BY rowid", (int(vid),)).fetchall()
                    a = np.array(rows, dtype=np.float64).reshape(-1, 2)
                    t.append(a[:, 0] / 1e9)
                    x.append(a[:, 1])
            finally:
                con.close()
            v["vectime"] = t
            v["vecvalue"] = x
            self._vectors = self._with_runs(v)
        return self._vectors

    def scalar(self, name, module=None):
        """The scalars called ``name`` (of ``module``), one row per run."""
        s = self.scalars[self.scalars["name"] == name]
        return s if module is None else s[s["module"] == module]

    def __repr__(self):
        return "<edgecut.Results %s: %d runs, %d scalars>" % (self.db, len(self.runs),
                                                               len(self.scalars))


def _numeric(col):
    """A column of itervar text as numbers when every value is one."""
    try:
        return pd.to_numeric(col)
    except (ValueError, TypeError):
        return col


def load(db):
    """The finished runs of results database ``db`` as a :class:`Results`
    (pandas DataFrames ``runs``, ``config``, ``attrs``, ``scalars``,
    ``vectors``, ``frames``).  A path that is not an edgecut database raises
    FileNotFoundError or ValueError."""
    import os
    if not os.path.exists(str(db)):
        raise FileNotFoundError("%s: no such database" % db)
    try:
        return Results(db)
    except pd.errors.DatabaseError as e:
        raise ValueError("%s: not an edgecut results database (%s)" % (db, e)) from None
