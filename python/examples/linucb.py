#!/usr/bin/env python3
"""LinUCB in NumPy, as a Python learner, against the C ``linucb``.

The rule of learners/linucb.c (README "LinUCB"): on the final exit's cuts at
the widest bit width, est_a = x_aᵀθ − α·sqrt(x_aᵀA⁻¹x_a) + f_a with A = λI +
Σ xxᵀ over the offloaded frames, b = Σ x·y (y: the measured offloading
delay), θ = A⁻¹b; play argmin (ties to the lowest index).  As in C, A is
never formed: its Cholesky factor L (A = LLᵀ) and v = L⁻¹b are updated by
Givens rotations, in long double (NumPy's longdouble: x87's 64-bit
significand, C's long double), because the raw features (conv MACs near
10¹⁰) make A singular in double precision.

    python3 python/examples/linucb.py [--frames N] [--db PATH]

runs the default experiment with this learner and with the C linucb, and
prints the share of frames on which they played the same action.
"""
import argparse
import os
import sys

import numpy as np

import edgecut

LD = np.longdouble


class LinUCB:
    """LinUCB/OFUL on the ANS context; ``alpha``, ``lam`` as linucb.alpha and
    linucb.lambda."""

    def __init__(self, alpha=1.0, lam=1.0):
        self.alpha, self.lam = alpha, lam

    def setup(self, space):
        a = space.actions
        final = a["exit"].max()
        widest = a["bits"][a["exit"] == final].max()
        # the C learner's view: the final exit's cuts at the widest bits
        self.view = np.flatnonzero((a["exit"] == final) & (a["bits"] == widest))
        self.X = space.x[self.view].astype(LD)
        self.offloads = a["offloads"][self.view].astype(bool)
        d = self.X.shape[1]
        self.L = np.eye(d, dtype=LD) * np.sqrt(LD(self.lam))
        self.v = np.zeros(d, dtype=LD)

    def _solve(self, X):
        """U = L⁻¹X row by row (forward substitution, every action at once)."""
        L = self.L
        U = np.zeros_like(X)
        for k in range(L.shape[0]):
            U[:, k] = (X[:, k] - U[:, :k] @ L[k, :k]) / L[k, k]
        return U

    def choose(self, obs):
        U = self._solve(self.X)
        mean = (U @ self.v).astype(np.float64)
        quad = (U * U).sum(axis=1).astype(np.float64)
        est = mean - self.alpha * np.sqrt(quad) + obs["front_s"][self.view]
        return int(self.view[int(np.argmin(est))])

    def feedback(self, obs, action, fb):
        j = int(np.searchsorted(self.view, action))
        if not self.offloads[j] or not np.isfinite(fb["offload_s"]):
            return
        z = self.X[j].copy()
        eta = LD(fb["offload_s"])
        L, v = self.L, self.v
        for k in range(len(z)):               # Givens rotations folding (z | eta) in
            if z[k] == 0:
                continue
            h = np.sqrt(L[k, k] * L[k, k] + z[k] * z[k])
            c, s = L[k, k] / h, z[k] / h
            L[k, k] = h
            t = L[k + 1:, k].copy()
            L[k + 1:, k] = c * t + s * z[k + 1:]
            z[k + 1:] = c * z[k + 1:] - s * t
            t = v[k]
            v[k] = c * t + s * eta
            eta = c * eta - s * t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frames", type=int, default=None, help="frames (default: the config's)")
    ap.add_argument("--db", default="results/linucb-python.db")
    args = ap.parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    config = os.path.join(root, "configs", "default.ini")
    sets = {"frames": args.frames} if args.frames else {}
    os.makedirs(os.path.dirname(os.path.abspath(args.db)), exist_ok=True)
    cdb = args.db.replace(".db", "-c.db")
    for p in (args.db, cdb):
        if os.path.exists(p):
            os.remove(p)
    edgecut.run(config, learner=LinUCB, db=args.db, set=sets, quiet=True)
    edgecut.run(config, db=cdb, set=dict(sets, learner="linucb"), quiet=True)
    py, c = edgecut.load(args.db).frames, edgecut.load(cdb).frames
    same = (py["action"].to_numpy() == c["action"].to_numpy()).mean()
    print("LinUCB in NumPy vs C linucb on %s: %d frames, same action on %.4f %% of frames; "
          "cumulative regret %.3f s (Python) vs %.3f s (C)"
          % (os.path.relpath(config), len(py), 100 * same, py["regret_ns"].sum() / 1e9,
             c["regret_ns"].sum() / 1e9))
    return same


if __name__ == "__main__":
    sys.exit(0 if main() >= 0.999 else 1)
