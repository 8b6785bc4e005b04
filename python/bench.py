#!/usr/bin/env python3
"""Benchmarks of the Python package, printed as a table (not timed tests).

    python3 python/bench.py [--quick] [--only NAME]

Rows (targets of issue 20 in brackets):
- Env.step, trivial policy, default world (configs/default.ini, 20000 frames),
  with the config's run 0 (the oracle's run: every frame evaluated on a
  snapshot for the regret) and with ``learner = python``  [>= 50 000 steps/s]
- VecEnv, 1000 devices (bench/many-devices.ini: a processor-sharing or FIFO
  edge, fps 0.2, no phase: the devices' frames arrive together), playing
  device-only's action or random actions, decisions/s; beside each, ``edgecut
  run`` of the same world with the C learner (the whole process: set-up,
  metrics, store) as a reference  [>= 1 000 000 decisions/s]
- a Python learner playing device-only's action: its fingerprint against
  ``learner = device-only``  [equal]
- the NumPy LinUCB example against the C linucb on the default experiment:
  share of frames with the same action  [>= 99.9 %]

Each timing is the best of ``--repeats`` runs (default 3) on one core.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import edgecut  # noqa: E402

DEFAULT = os.path.join(ROOT, "configs", "default.ini")
MANY = os.path.join(ROOT, "bench", "many-devices.ini")
EDGECUT = os.path.join(os.path.dirname(edgecut._native.LIBPATH), "..", "edgecut")


def best(f, repeats):
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = f()
        dt = time.perf_counter() - t0
        if out is None or dt < out[0]:
            out = (dt, r)
    return out


def env_steps(sets):
    env = edgecut.Env(DEFAULT, set=sets)
    a = env.n_actions - 1

    def go():
        env.reset()
        n, term = 0, False
        while not term:
            _, _, term, _, _ = env.step(a)
            n += 1
        return n
    return go


def vec_steps(count, frames, sets=None, policy="device-only"):
    s = {"group.cams.count": count, "frames": frames, "learner": "device-only"}
    s.update(sets or {})
    venv = edgecut.VecEnv(MANY, set=s)
    rng = np.random.default_rng(1)

    def go():
        obs, _ = venv.reset()
        n, term = 0, False
        while not term:
            k = len(obs["device"])
            na = venv.n_actions[obs["device"]]
            a = na - 1 if policy == "device-only" else rng.integers(0, na)
            obs, _, term, _, _ = venv.step(a)
            n += k
        return n
    return go


def c_run(config, sets):
    def go():
        with tempfile.TemporaryDirectory() as d:
            args = [EDGECUT, "run", config, "--db", os.path.join(d, "b.db"), "--quiet"]
            for k, v in sets.items():
                args += ["--set", "%s=%s" % (k, v)]
            subprocess.run(args, check=True, capture_output=True)
    return go


def fingerprints(db):
    import sqlite3
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT runName, fingerprint FROM run"))
    finally:
        con.close()


class DeviceOnly:
    def setup(self, space):
        self.a = int(np.flatnonzero(space.actions["offloads"] == 0)[-1])

    def choose(self, obs):
        return self.a


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer frames, one repeat")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", default=None, help="rows whose name holds this text")
    args = ap.parse_args(argv)
    rep = 1 if args.quick else args.repeats
    frames = 2000 if args.quick else 20000
    vframes = 20 if args.quick else 200
    rows = []

    def want(name):
        return not args.only or args.only.lower() in name.lower()

    name = "Env.step, default world, run 0 (oracle: evaluated)"
    if want(name):
        dt, n = best(env_steps({"frames": frames}), rep)
        rows.append((name, n, dt, "%.0f steps/s" % (n / dt), ">= 50000 steps/s",
                     "met" if n / dt >= 50000 else "MISSED"))
    name = "Env.step, default world, learner = python"
    if want(name):
        dt, n = best(env_steps({"frames": frames, "learner": "python"}), rep)
        rows.append((name, n, dt, "%.0f steps/s" % (n / dt), ">= 50000 steps/s",
                     "met" if n / dt >= 50000 else "MISSED"))
    name = "VecEnv, 1000 devices, PS edge, device-only actions"
    if want(name):
        dt, n = best(vec_steps(1000, vframes), rep)
        rows.append((name, n, dt, "%.0f decisions/s" % (n / dt), ">= 1000000 decisions/s",
                     "met" if n / dt >= 1e6 else "MISSED"))
        cdt, _ = best(c_run(MANY, {"group.cams.count": 1000, "frames": vframes,
                                   "learner": "device-only"}), rep)
        rows.append(("  edgecut run, same world (whole process)", n, cdt,
                     "%.0f frames/s" % (n / cdt), "(reference)", ""))
    name = "VecEnv, 1000 devices, PS edge, random actions"
    if want(name):
        dt, n = best(vec_steps(1000, vframes, policy="random"), rep)
        rows.append((name, n, dt, "%.0f decisions/s" % (n / dt), ">= 1000000 decisions/s",
                     "met" if n / dt >= 1e6 else "MISSED"))
        cdt, _ = best(c_run(MANY, {"group.cams.count": 1000, "frames": vframes,
                                   "learner": "random"}), rep)
        rows.append(("  edgecut run, same world (whole process)", n, cdt,
                     "%.0f frames/s" % (n / cdt), "(reference)", ""))
    name = "VecEnv, 1000 devices, FIFO edge, device-only actions"
    if want(name):
        dt, n = best(vec_steps(1000, vframes, {"edge.discipline": "fifo"}), rep)
        rows.append((name, n, dt, "%.0f decisions/s" % (n / dt), ">= 1000000 decisions/s",
                     "met" if n / dt >= 1e6 else "MISSED"))
        cdt, _ = best(c_run(MANY, {"group.cams.count": 1000, "frames": vframes,
                                   "learner": "device-only", "edge.discipline": "fifo"}), rep)
        rows.append(("  edgecut run, same world (whole process)", n, cdt,
                     "%.0f frames/s" % (n / cdt), "(reference)", ""))
    name = "Python device-only learner: fingerprint"
    if want(name):
        with tempfile.TemporaryDirectory() as d:
            p, c = os.path.join(d, "p.db"), os.path.join(d, "c.db")
            t0 = time.perf_counter()
            edgecut.run(DEFAULT, learner=DeviceOnly, db=p, set={"frames": frames}, quiet=True)
            dt = time.perf_counter() - t0
            edgecut.run(DEFAULT, db=c, runs="3", set={"frames": frames}, quiet=True)
            fp, fc = fingerprints(p)["General-0"], fingerprints(c)["General-3"]
        rows.append((name, frames, dt, "%s vs %s" % (fp, fc), "equal",
                     "met" if fp == fc else "MISSED"))
    name = "NumPy LinUCB vs C linucb: same action"
    if want(name):
        import examples.linucb as lu
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            import contextlib
            import io
            with contextlib.redirect_stdout(io.StringIO()):
                same = lu.main((["--frames", str(frames)] if args.quick else []) +
                               ["--db", os.path.join(d, "l.db")])
            dt = time.perf_counter() - t0
        rows.append((name, frames, dt, "%.4f %% of frames" % (100 * same), ">= 99.9 %",
                     "met" if same >= 0.999 else "MISSED"))

    head = ("case", "frames", "wall s", "measured", "target", "")
    w = [max(len(str(r[i])) if i != 2 else 8 for r in rows + [head]) for i in range(6)]
    fmt = lambda r: "| " + " | ".join(
        (("%.3f" % r[i]) if i == 2 and not isinstance(r[i], str) else str(r[i])).ljust(w[i])
        for i in range(6)) + " |"
    print(fmt(head))
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        print(fmt(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
