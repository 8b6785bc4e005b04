#!/usr/bin/env python3
"""A PyTorch DQN agent trained against edgecut.Env on the SAC-d world, then
played as a Python learner beside the C learners in one ``edgecut report``.

The world is configs/sacd/deadline.ini's (B-AlexNet on a Raspberry Pi 4
whose load moves among 1x, 2x and 4x, an edge PC, a URLLC-like link, a
closed-loop camera) at one deadline (``--deadline-ms``, default 20).  The
agent sees every (exit, cut, bits) action (45) and is rewarded as SAC-d is:
accuracy − λ·delay/deadline − β·[deadline missed] (λ = 0.2, β = 1, the
config's).  Its state: each action's front-end time at the current load over
the deadline, the load, the last upload throughput (log), the last delay
over the deadline, the key-frame flag.  Training runs on seed 1 (the
config's training seed); the evaluation, greedy, on seed 101 (its
evaluation seed), where the C learners ``edgent``, ``device-only`` and
``oracle`` (objective ontime: the best a frame can do) run too.

    python3 python/examples/dqn.py                 # about a minute: 8000 steps, 3000 frames
    python3 python/examples/dqn.py --train-steps 3000 --eval-frames 1000   # quick

It writes RESULTS/dqn-sacd.ini (the world, sections ``dqn`` and
``baselines``) and RESULTS/dqn-sacd.db, then prints ``edgecut report``.
"""
import argparse
import configparser
import os
import random
import subprocess
import sys

import numpy as np
import torch
from torch import nn

import edgecut

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SACD = os.path.join(ROOT, "configs", "sacd", "deadline.ini")
# what the example leaves out of the SAC-d world: its learners and sweep
SKIP = ("description", "seed", "repeat", "frames", "learner", "deadline_ms", "log.frames")


def world_config(path, deadline_ms, frames):
    """Write the SAC-d world at one deadline, with sections ``dqn`` (the
    Python learner's slot) and ``baselines`` (C learners)."""
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    cp.optionxform = str
    cp.read(SACD)
    keys = ["%s = %s" % (k, v) for k, v in cp["General"].items()
            if k not in SKIP and not k.startswith("sacd.")]
    text = "\n".join(["; written by python/examples/dqn.py from configs/sacd/deadline.ini",
                      "[General]", "seed = 1", "frames = %d" % frames,
                      "deadline_ms = %g" % deadline_ms, "log.frames = all",
                      "oracle.objective = ontime"] + keys +
                     ["", "[Config dqn]", "seed = 101", "learner = python",
                      "", "[Config baselines]", "seed = 101",
                      "learner = ${edgent, device-only, oracle}", ""])
    with open(path, "w") as f:
        f.write(text)
    return path


def features(obs):
    """The agent's state from an Env (or Python learner) observation."""
    dl = obs["deadline_s"] or 1.0
    tput = obs["tput_bps"]
    last = obs["last_delay_s"]
    extra = [obs["load"] / 4.0,
             np.log10(tput) / 8.0 if np.isfinite(tput) and tput > 0 else 0.0,
             min(last / dl, 10.0) if np.isfinite(last) else 0.0,
             float(obs["keyframe"])]
    return np.concatenate([np.minimum(obs["front_s"] / dl, 10.0), extra]).astype(np.float32)


class QNet(nn.Module):
    def __init__(self, n_in, n_out, hidden=64):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                               nn.ReLU(), nn.Linear(hidden, n_out))

    def forward(self, x):
        return self.f(x)


def train(config, steps, seed=0, gamma=0.9, quiet=False):
    """DQN against edgecut.Env on section General; the trained network."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    env = edgecut.Env(config, reward="sacd", reward_lambda=0.2, reward_beta=1.0,
                      set={"learner": "python", "frames": steps + 1})
    obs, info = env.reset()
    n_act = env.n_actions
    s = features(obs)
    q, target = QNet(len(s), n_act), QNet(len(s), n_act)
    target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=1e-3)
    buf_s = np.zeros((steps, len(s)), np.float32)
    buf_a = np.zeros(steps, np.int64)
    buf_r = np.zeros(steps, np.float32)
    buf_s2 = np.zeros((steps, len(s)), np.float32)
    total = 0.0
    for t in range(steps):
        eps = max(0.05, 1.0 - t / (0.5 * steps))
        if rng.random() < eps:
            a = rng.randrange(n_act)
        else:
            with torch.no_grad():
                a = int(q(torch.from_numpy(s)).argmax())
        obs, r, term, _, info = env.step(a)
        s2 = features(obs)
        buf_s[t], buf_a[t], buf_r[t], buf_s2[t] = s, a, r, s2
        s = s2
        total += r
        if t >= 256:
            idx = np.random.randint(0, t + 1, 64)
            bs, ba = torch.from_numpy(buf_s[idx]), torch.from_numpy(buf_a[idx])
            br, bs2 = torch.from_numpy(buf_r[idx]), torch.from_numpy(buf_s2[idx])
            with torch.no_grad():
                y = br + gamma * target(bs2).max(1).values
            loss = nn.functional.smooth_l1_loss(q(bs).gather(1, ba[:, None])[:, 0], y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if t % 250 == 0:
                target.load_state_dict(q.state_dict())
        if not quiet and (t + 1) % max(1, steps // 5) == 0:
            print("dqn: step %d/%d, mean reward %.3f" % (t + 1, steps, total / (t + 1)))
        if term:
            break
    env.close()
    return q


class DQNPolicy:
    """The trained network as a Python learner: argmax Q, no learning."""

    def __init__(self, q):
        self.q = q

    def choose(self, obs):
        with torch.no_grad():
            return int(self.q(torch.from_numpy(features(obs))).argmax())

    def feedback(self, obs, action, fb):
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train-steps", type=int, default=8000)
    ap.add_argument("--eval-frames", type=int, default=3000)
    ap.add_argument("--deadline-ms", type=float, default=20)
    ap.add_argument("--db", default=os.path.join("results", "dqn-sacd.db"))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    out = os.path.dirname(os.path.abspath(args.db))
    os.makedirs(out, exist_ok=True)
    config = world_config(os.path.splitext(os.path.abspath(args.db))[0] + ".ini",
                          args.deadline_ms, args.eval_frames)
    q = train(config, args.train_steps, quiet=args.quiet)
    if os.path.exists(args.db):
        os.remove(args.db)
    edgecut.run(config, section="dqn", learner=DQNPolicy(q), db=args.db, quiet=True)
    edgecut.run(config, section="baselines", db=args.db, quiet=True)
    edgecut_bin = os.path.join(os.path.dirname(edgecut._native.LIBPATH), "..", "edgecut")
    rep = subprocess.run([edgecut_bin, "report", args.db], capture_output=True, text=True)
    if not args.quiet:
        print(rep.stdout, end="")
    return rep.returncode


if __name__ == "__main__":
    sys.exit(main())
