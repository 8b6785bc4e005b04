"""Env and VecEnv: a run of a config driven from Python, one decision at a
time (sim/engine/step.h).

The engine stops when a frame of a device Python controls arrives, hands over
what the device observes, and goes on once Python has chosen the frame's
action.  The other devices of the world run their configured C learners.  A
stepped run makes the decisions, frame rows and fingerprint that the same
choices would make inside ``edgecut run``.
"""
import operator

import numpy as np

from . import _native
from ._native import ffi, lib, EC_TPUT_HISTORY
from .errors import ActionError, EdgecutError, raise_for

try:  # a Gymnasium environment when Gymnasium is there, the same API otherwise
    import gymnasium as _gym
    from gymnasium import spaces as _spaces
except ImportError:  # pragma: no cover - depends on the machine
    _gym = None
    _spaces = None

#: The rows of ``info["feedback"]`` in VecEnv (and ``Env.results``): one per
#: frame whose result came back, as the C ``ec_step_result``.
RESULT_DTYPE = np.dtype([
    ("device", "<i4"), ("action", "<i4"), ("frame", "<i8"), ("t_ns", "<i8"),
    ("done_ns", "<i8"), ("delay_s", "<f8"), ("front_s", "<f8"), ("offload_s", "<f8"),
    ("tput_bps", "<f8"), ("accuracy", "<f8"), ("energy_j", "<f8"),
    ("deadline_met", "<i4"), ("keyframe", "<i4"), ("deadline_s", "<f8"), ("regret_s", "<f8"),
])
assert RESULT_DTYPE.itemsize == ffi.sizeof("ec_step_result")


class Discrete:
    """``gymnasium.spaces.Discrete``'s essentials, when Gymnasium is absent."""

    def __init__(self, n, seed=None):
        self.n = int(n)
        self.shape = ()
        self.dtype = np.int64
        self._rng = np.random.default_rng(seed)

    def sample(self):
        return int(self._rng.integers(self.n))

    def contains(self, x):
        try:
            return 0 <= int(x) < self.n
        except (TypeError, ValueError):
            return False

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def __repr__(self):
        return "Discrete(%d)" % self.n


class Box:
    """``gymnasium.spaces.Box``'s essentials (low, high, shape, dtype), when
    Gymnasium is absent."""

    def __init__(self, low, high, shape, dtype=np.float64):
        self.low, self.high, self.shape, self.dtype = low, high, tuple(shape), np.dtype(dtype)

    def contains(self, x):
        a = np.asarray(x)
        return a.shape == self.shape and bool(np.all((a >= self.low) & (a <= self.high)))

    def __repr__(self):
        return "Box(%s, %s, %s, %s)" % (self.low, self.high, self.shape, self.dtype)


def _discrete(n):
    return _spaces.Discrete(n) if _spaces else Discrete(n)


def _sets(set):
    """{"KEY": "VALUE"} (or a list of "KEY=VALUE") as the C array of
    assignments, with the strings kept alive."""
    if set is None:
        items = []
    elif isinstance(set, dict):
        items = ["%s=%s" % (k, _text(v)) for k, v in set.items()]
    else:
        items = [str(s) for s in set]
    keep = [ffi.new("char[]", s.encode()) for s in items]
    return ffi.new("const char *[]", keep or [ffi.NULL]), keep, len(items)


def _text(v):
    """A config value as text: booleans as on/off, sequences as comma lists."""
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, (list, tuple)):
        return ", ".join(_text(x) for x in v)
    return str(v)


class World:
    """One run of a config, built (its config, run list and scenario):
    ``World(config, section, run, set)``.  Errors are the command line's,
    raised as :class:`edgecut.ConfigError` / :class:`edgecut.EdgecutError`."""

    _ptr = None

    def __init__(self, config, section="General", run=0, set=None):
        arr, keep, n = _sets(set)
        d = _native.diag()
        out = ffi.new("ecpy_world **")
        rc = lib.ecpy_world_new(str(config).encode(), (section or "General").encode(),
                                int(run), arr, n, out, d)
        if rc:
            raise_for(rc, _native.message(d))
        self._ptr = out[0]
        self.config, self.section, self.run = str(config), section or "General", int(run)
        self.seed = int(lib.ecpy_world_seed(self._ptr))
        self.name = ffi.string(lib.ecpy_world_name(self._ptr)).decode()
        self.n_runs = int(lib.ecpy_world_n_runs(self._ptr))
        self.n_devices = int(lib.ecpy_world_n_devices(self._ptr))
        self.learners = [ffi.string(lib.ecpy_world_learner(self._ptr, k)).decode()
                         for k in range(self.n_devices)]
        self.groups = [ffi.string(lib.ecpy_world_group(self._ptr, k)).decode()
                       for k in range(self.n_devices)]

    def close(self):
        if self._ptr is not None:
            lib.ecpy_world_free(self._ptr)
            self._ptr = None

    def __del__(self):
        self.close()


def _actions_info(ai, n, dim):
    """Device actions (``ec_action_info[n]``) as a dict of NumPy arrays, and
    their contexts as an n x dim array."""
    info = {k: np.empty(n, dtype=t) for k, t in (
        ("exit", np.int32), ("cut", np.int32), ("bits", np.int32), ("offloads", np.int32),
        ("front_s", np.float64), ("bytes", np.float64), ("accuracy", np.float64),
        ("result_bytes", np.float64))}
    x = np.zeros((n, dim))
    for j in range(n):
        a = ai[j]
        for k in info:
            info[k][j] = getattr(a, k)
        if dim:
            x[j] = np.frombuffer(ffi.buffer(a.x, dim * 8), dtype=np.float64)
    for k in info:
        info[k].setflags(write=False)
    x.setflags(write=False)
    return info, x


class _Stepped:
    """A stepped run (``ec_simstep``) with its observation buffers."""

    st = None

    def __init__(self, world, seed, ext):
        self.world = world
        mask = ffi.new("unsigned char[]", bytes(ext))
        out = ffi.new("ec_simstep **")
        self.d = _native.diag()
        rc = lib.ec_simstep_new(lib.ecpy_world_scenario(world._ptr), seed & (2**64 - 1), mask,
                                out, self.d)
        if rc:
            raise_for(rc, _native.message(self.d))
        self.st = out[0]
        self.n_ext = sum(1 for e in ext if e)
        self.width = max([int(lib.ec_simstep_n_actions(self.st, k))
                          for k in range(len(ext)) if ext[k]] or [1])
        cap = max(self.n_ext, 1)
        self.b = {
            "device": np.empty(cap, np.int32), "frame": np.empty(cap, np.int64),
            "t_ns": np.empty(cap, np.int64), "keyframe": np.empty(cap, np.int32),
            "load": np.empty(cap), "deadline_s": np.empty(cap),
            "last_delay_s": np.empty(cap), "tput_bps": np.empty(cap),
            "front_s": np.empty((cap, self.width)),
            "tput_hist": np.empty((cap, EC_TPUT_HISTORY)), "n_tput": np.empty(cap, np.int32),
            "link": np.empty((cap, 4)),
        }
        b = self.b
        self._fill_args = [ffi.cast("int32_t *", b["device"].ctypes.data),
                           ffi.cast("int64_t *", b["frame"].ctypes.data),
                           ffi.cast("int64_t *", b["t_ns"].ctypes.data),
                           ffi.cast("int32_t *", b["keyframe"].ctypes.data)] + \
            [ffi.cast("double *", b[k].ctypes.data) for k in
             ("load", "deadline_s", "last_delay_s", "tput_bps", "front_s", "tput_hist")] + \
            [ffi.cast("int32_t *", b["n_tput"].ctypes.data),
             ffi.cast("double *", b["link"].ctypes.data)]
        self.act = np.zeros(cap, np.int64)
        self._act_p = ffi.cast("int64_t *", self.act.ctypes.data)
        self._res_pp = ffi.new("ec_step_result **")
        self._res_size = ffi.sizeof("ec_step_result")

    def fail(self, rc):
        raise_for(rc, _native.message(self.d))

    def advance(self):
        rc = lib.ec_simstep_advance(self.st, self.d)
        if rc:
            self.fail(rc)
        return int(lib.ec_simstep_n_pending(self.st))

    def fill(self):
        lib.ec_simstep_fill(self.st, self.width, *self._fill_args)

    def decide(self, n):
        rc = lib.ec_simstep_decide(self.st, self._act_p, self.d)
        if rc:
            msg = _native.message(self.d)
            if rc == 5:   # EC_EUSAGE: an action out of range, nothing played
                raise ActionError(msg)
            self.fail(rc)

    def results(self):
        """The results back since the last call, as a RESULT_DTYPE array."""
        n = lib.ec_simstep_results(self.st, self._res_pp)
        if not n:
            return None
        arr = np.frombuffer(ffi.buffer(self._res_pp[0], n * self._res_size),
                            dtype=RESULT_DTYPE).copy()
        lib.ec_simstep_results_clear(self.st)
        return arr

    def actions(self, k):
        n = int(lib.ec_simstep_n_actions(self.st, k))
        return _actions_info(lib.ec_simstep_actions(self.st, k), n,
                             int(lib.ec_simstep_dim(self.st, k)))

    @property
    def over(self):
        return bool(lib.ec_simstep_over(self.st))

    def fingerprint(self):
        return int(lib.ec_simstep_fingerprint(self.st))

    def close(self):
        if self.st is not None:
            lib.ec_simstep_free(self.st)
            self.st = None

    def __del__(self):
        self.close()


def reward_fn(reward, reward_lambda=1.0, reward_beta=1.0):
    """The reward of results (RESULT_DTYPE rows or scalars): ``"delay"``, minus
    the delay in s; ``"sacd"``, SAC-d's accuracy − λ·delay/deadline − β·[missed]
    (accuracy − λ·delay without a deadline; learners/sacd_env.c); or a callable
    of one result row."""
    if callable(reward):
        return reward
    if reward == "delay":
        return lambda delay, accuracy, deadline: -delay
    if reward == "sacd":
        lam, beta = float(reward_lambda), float(reward_beta)

        def sacd(delay, accuracy, deadline):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(deadline > 0,
                             accuracy - lam * delay / np.where(deadline > 0, deadline, 1)
                             - np.where(delay > deadline, beta, 0.0),
                             accuracy - lam * delay)
            return r if np.ndim(r) else float(r)
        return sacd
    raise ValueError("reward: expected 'delay', 'sacd' or a callable, got %r" % (reward,))


def _scalar_reward(reward, reward_lambda=1.0, reward_beta=1.0):
    """reward_fn for one result at a time, in plain Python (Env's hot path)."""
    if callable(reward):
        return reward
    if reward == "delay":
        return lambda delay, accuracy, deadline: -delay
    lam, beta = float(reward_lambda), float(reward_beta)

    def sacd(delay, accuracy, deadline):
        if deadline > 0:
            return accuracy - lam * delay / deadline - (beta if delay > deadline else 0.0)
        return accuracy - lam * delay
    return sacd


def _external(world, devices):
    """The external mask: devices named, else those whose learner is python,
    else every device."""
    if devices is None:
        ext = [1 if l == "python" else 0 for l in world.learners]
        if not any(ext):
            ext = [1] * world.n_devices
        return ext
    ext = [0] * world.n_devices
    for k in devices:
        k = operator.index(k)
        if not 0 <= k < world.n_devices:
            raise ValueError("device %d: the world has %d devices (0 to %d)"
                             % (k, world.n_devices, world.n_devices - 1))
        ext[k] = 1
    return ext


_EnvBase = _gym.Env if _gym else object


class Env(_EnvBase):
    """One device's decisions as a Gymnasium environment.

    ``Env(config, section="General", run=0, set={"KEY": "VALUE"}, device=None,
    reward="delay")``: run ``run`` of ``section`` of the config file, with the
    ``set`` overrides (as ``edgecut run --set``).  The environment decides for
    ``device`` (a run index; default: the one device whose learner is
    ``python``, else device 0); the other devices run their configured C
    learners.  The action space is the device's learner view: every (exit,
    cut, bits) for ``learner = python`` (and for learners that see all
    actions), the final exit's cuts at the widest bits for a cuts-only
    learner such as ``linucb``; ``info["actions"]`` describes each.

    An episode is the run: ``reset(seed=None)`` starts it (seed: the run's
    seed, default the config's), ``step(action)`` plays the action for the
    frame the last observation described and runs the world until the
    device's next frame arrives.  ``obs`` is a dict:

    - ``frame`` (int), ``t`` (arrival, s), ``keyframe`` (0/1);
    - ``front_s``: each action's front-end time at the current load, s;
    - ``load``: the device's slowdown factor; ``deadline_s`` (0: none);
    - ``tput_bps`` (last upload throughput, NaN before one),
      ``tput_hist`` (the last 16, oldest first, NaN-padded), ``n_tput``;
    - ``last_delay_s`` (NaN before the first result);
    - ``link``: the radio's last report (probe.*): uplink and downlink rate
      (bit/s), uplink and downlink latency (s); NaN before the first report
      and for a device whose configured learner type does not read it
      (``python`` does);
    - ``x``: the actions' context features (n_actions x dim, constant).

    Reward: ``step`` returns the reward of the frame it played when that
    frame's result is back before the device's next frame arrives (the usual
    case), else 0.0; every result that came back during the step, this
    frame's or an earlier late one, is in ``info["feedback"]`` (a list of
    dicts: frame, action, delay_s, accuracy, deadline_met, energy_j,
    regret_s (NaN with regret = off), reward, ...), so a late frame's reward
    arrives with the step in which it came back.  ``reward="delay"`` is minus the delay in seconds; ``"sacd"`` is
    SAC-d's accuracy − λ·delay/deadline − β·[deadline missed]
    (``reward_lambda``, ``reward_beta``); a callable gets (delay_s,
    accuracy, deadline_s).  ``terminated`` is True once the run is over (the
    device has no frame left; the returned obs is then the last one).
    """

    metadata = {"render_modes": []}

    def __init__(self, config, section="General", run=0, set=None, device=None,
                 reward="delay", reward_lambda=1.0, reward_beta=1.0):
        self.world = World(config, section, run, set)
        if device is None:
            py = [k for k, l in enumerate(self.world.learners) if l == "python"]
            if len(py) > 1:
                raise ValueError("Env decides for one device; %d devices of this world have "
                                 "learner = python: name one with device=, or use VecEnv"
                                 % len(py))
            device = py[0] if py else 0
        self._ext = _external(self.world, [device])
        self.device = operator.index(device)
        reward_fn(reward, reward_lambda, reward_beta)          # checks the name
        self._reward = _scalar_reward(reward, reward_lambda, reward_beta)
        self._run = _Stepped(self.world, self.world.seed, self._ext)
        self.actions, self.x = self._run.actions(self.device)
        self.n_actions = len(self.actions["cut"])
        self.action_space = _discrete(self.n_actions)
        self.observation_space = self._obs_space()
        self._info_actions = self.actions
        self._nan_hist = np.full(EC_TPUT_HISTORY, np.nan)
        self._obs = None

    def _obs_space(self):
        """A gymnasium Dict space (without Gymnasium: a dict of Box and
        Discrete)."""
        inf = np.inf
        n, dim = self.x.shape
        B = _spaces.Box if _spaces else Box
        box = lambda shape, lo=-inf: B(lo, inf, shape=shape, dtype=np.float64)
        d = {
            "frame": B(0, np.iinfo(np.int64).max, shape=(), dtype=np.int64),
            "t": box((), 0), "keyframe": _discrete(2), "front_s": box((n,), 0),
            "load": box((), 0), "deadline_s": box((), 0), "last_delay_s": box(()),
            "tput_bps": box(()), "tput_hist": box((EC_TPUT_HISTORY,)),
            "n_tput": _discrete(EC_TPUT_HISTORY + 1), "link": box((4,)), "x": box((n, dim)),
        }
        return _spaces.Dict(d) if _spaces else d

    def _observe(self):
        r = self._run
        o = lib.ec_simstep_pending(r.st, 0, ffi.NULL)
        n = self.n_actions
        hist = self._nan_hist.copy()
        nt = o.n_tput
        if nt:
            hist[:nt] = np.frombuffer(ffi.buffer(o.tput_hist, 8 * nt), np.float64)
        return {
            "frame": o.frame, "t": o.t_ns / 1e9, "keyframe": o.keyframe,
            "front_s": np.frombuffer(ffi.buffer(o.front_s, 8 * n), np.float64).copy(),
            "load": o.load, "deadline_s": o.deadline_s, "last_delay_s": o.last_delay_s,
            "tput_bps": o.tput_bps, "tput_hist": hist, "n_tput": nt,
            "link": np.array((o.link.up_bps, o.link.down_bps, o.link.up_latency_s,
                              o.link.down_latency_s)),
            "x": self.x,
        }

    def _feedback(self):
        run = self._run
        n = lib.ec_simstep_results(run.st, run._res_pp)
        if not n:
            return []
        base = run._res_pp[0]
        rf = self._reward
        out = []
        for i in range(n):
            r = base[i]
            delay, acc, dl = r.delay_s, r.accuracy, r.deadline_s
            out.append({"frame": r.frame, "action": r.action, "delay_s": delay,
                        "accuracy": acc, "deadline_met": bool(r.deadline_met),
                        "energy_j": r.energy_j, "front_s": r.front_s,
                        "offload_s": r.offload_s, "tput_bps": r.tput_bps,
                        "t": r.t_ns / 1e9, "done_t": r.done_ns / 1e9,
                        "keyframe": r.keyframe, "deadline_s": dl, "regret_s": r.regret_s,
                        "reward": float(rf(delay, acc, dl))})
        lib.ec_simstep_results_clear(run.st)
        return out

    def reset(self, seed=None, options=None):
        """Start the run again (``seed``: the run seed; default the
        config's); returns (obs, info) for the device's first frame."""
        if _gym:
            super().reset(seed=seed)
        self._run.close()
        self._run = _Stepped(self.world, self.world.seed if seed is None else int(seed),
                             self._ext)
        self._over = False
        if not self._run.advance():
            raise EdgecutError("device %d has no frame in this run" % self.device)
        self._obs = self._observe()
        return self._obs, {"actions": self._info_actions, "feedback": self._feedback()}

    def step(self, action):
        """Play ``action`` for the frame last observed; returns (obs, reward,
        terminated, truncated, info)."""
        if self._obs is None or self._over:
            raise EdgecutError("step() without a frame waiting: call reset() first"
                               if self._obs is None else "the run is over: call reset()")
        try:
            a = operator.index(action)
        except TypeError:
            a = int(np.asarray(action).item()) if np.ndim(action) == 0 or np.size(action) == 1 \
                else None
            if a is None:
                raise ActionError("action %r: expected one integer" % (action,)) from None
        if not 0 <= a < self.n_actions:
            raise ActionError("device %d, frame %d: action %d is out of range [0, %d)"
                              % (self.device, self._obs["frame"], a, self.n_actions))
        frame = self._obs["frame"]
        run = self._run
        run.act[0] = a
        rc = lib.ec_simstep_decide(run.st, run._act_p, run.d)
        if rc:
            if rc == 5:
                raise ActionError(_native.message(run.d))
            run.fail(rc)
        rc = lib.ec_simstep_advance(run.st, run.d)
        if rc:
            run.fail(rc)
        pending = lib.ec_simstep_n_pending(run.st)
        fbs = self._feedback()
        reward = 0.0
        for fb in fbs:
            if fb["frame"] == frame:
                reward = fb["reward"]
        if pending:
            self._obs = self._observe()
        else:
            self._over = True
        info = {"actions": self._info_actions, "feedback": fbs}
        if self._over:
            info["fingerprint"] = "%016x" % self._run.fingerprint()
        return self._obs, reward, self._over, False, info

    def fingerprint(self):
        """The run's fingerprint (16 hex digits, as the database stores it)
        once it is over, else None."""
        return "%016x" % self._run.fingerprint() if self._run.over else None

    def close(self):
        self._run.close()
        self.world.close()


class VecEnv:
    """Every (Python-controlled) device of one world decides in one call.

    ``VecEnv(config, section="General", run=0, set={...}, devices=None,
    reward="delay")``: devices (run indices) Python decides for; default,
    those whose learner is ``python``, else every device.  ``reset(seed)``
    and ``step(actions)`` return the frames waiting for an action: the frames
    that arrived at one instant, in arrival order (every device of a
    fixed-rate world without a phase arrives together; with
    ``frames.phase = random`` one frame waits at a time).  ``obs`` is a dict
    of arrays with a row per waiting frame: ``device`` (its run index),
    ``frame``, ``t`` (s), ``keyframe``, ``load``, ``deadline_s``,
    ``last_delay_s``, ``tput_bps``, ``front_s`` (rows of ``width`` actions,
    NaN past a device's count), ``tput_hist``, ``n_tput``, ``link`` (rows of
    4, as Env's).

    ``step(actions)`` takes one action per waiting frame (an integer array in
    the order of ``obs["device"]``) and returns ``(obs, rewards, terminated,
    truncated, info)``: ``info["feedback"]`` is a structured array
    (:data:`RESULT_DTYPE`) of the results that came back during the step and
    ``rewards`` their rewards, row for row; ``terminated`` is True once the
    run is over (then obs has no rows).  Actions are checked before any is
    played: one out of range raises :class:`edgecut.ActionError`.
    """

    def __init__(self, config, section="General", run=0, set=None, devices=None,
                 reward="delay", reward_lambda=1.0, reward_beta=1.0):
        self.world = World(config, section, run, set)
        self._ext = _external(self.world, devices)
        self.devices = np.array([k for k, e in enumerate(self._ext) if e], dtype=np.int32)
        self.num_envs = len(self.devices)
        self._reward = reward_fn(reward, reward_lambda, reward_beta)
        self._run = _Stepped(self.world, self.world.seed, self._ext)
        self.width = self._run.width
        self.n_actions = np.array([lib.ec_simstep_n_actions(self._run.st, int(k))
                                   for k in self.devices], dtype=np.int64)
        self._n_actions_all = np.zeros(self.world.n_devices, np.int64)
        self._n_actions_all[self.devices] = self.n_actions
        self.single_action_space = _discrete(int(self.n_actions.max()))
        self._cache_actions = {}
        self._n = 0
        self._over = True

    def actions(self, device):
        """Device ``device``'s actions (a dict of arrays: exit, cut, bits,
        offloads, front_s, bytes, accuracy, result_bytes) and contexts."""
        g = self.world.groups[device]
        if g not in self._cache_actions:
            self._cache_actions[g] = self._run.actions(int(device))
        return self._cache_actions[g]

    def _observe(self, n):
        """Fresh arrays of n rows, filled by C in place (no copy)."""
        r = self._run
        w = r.width
        obs = {"device": np.empty(n, np.int32), "frame": np.empty(n, np.int64),
               "t_ns": np.empty(n, np.int64), "keyframe": np.empty(n, np.int32),
               "load": np.empty(n), "deadline_s": np.empty(n), "last_delay_s": np.empty(n),
               "tput_bps": np.empty(n), "front_s": np.empty((n, w)),
               "tput_hist": np.empty((n, EC_TPUT_HISTORY)), "n_tput": np.empty(n, np.int32),
               "link": np.empty((n, 4))}
        if n:
            fb = ffi.from_buffer
            lib.ec_simstep_fill(
                r.st, w, fb("int32_t[]", obs["device"]), fb("int64_t[]", obs["frame"]),
                fb("int64_t[]", obs["t_ns"]), fb("int32_t[]", obs["keyframe"]),
                fb("double[]", obs["load"]), fb("double[]", obs["deadline_s"]),
                fb("double[]", obs["last_delay_s"]), fb("double[]", obs["tput_bps"]),
                fb("double[]", obs["front_s"]), fb("double[]", obs["tput_hist"]),
                fb("int32_t[]", obs["n_tput"]), fb("double[]", obs["link"]))
        obs["t"] = obs.pop("t_ns") / 1e9
        return obs

    def _results(self):
        res = self._run.results()
        if res is None:
            res = np.empty(0, RESULT_DTYPE)
        rewards = np.asarray(self._reward(res["delay_s"], res["accuracy"], res["deadline_s"]),
                             dtype=np.float64)
        return res, rewards

    def reset(self, seed=None, options=None):
        """Start the run (``seed``: the run seed, default the config's);
        returns (obs, info)."""
        self._run.close()
        self._run = _Stepped(self.world, self.world.seed if seed is None else int(seed),
                             self._ext)
        self._n = self._run.advance()
        self._over = self._run.over
        res, _ = self._results()
        return self._observe(self._n), {"feedback": res}

    def step(self, actions):
        """Play one action per waiting frame; see the class."""
        if self._over:
            raise EdgecutError("the run is over: call reset()")
        a = np.asarray(actions)
        if a.shape != (self._n,):
            raise ActionError("expected %d actions (one per waiting frame), got shape %s"
                              % (self._n, a.shape))
        self._run.act[:self._n] = a
        self._run.decide(self._n)
        self._n = self._run.advance()
        self._over = self._run.over
        res, rewards = self._results()
        return self._observe(self._n), rewards, self._over, False, {"feedback": res}

    def fingerprint(self):
        """The run's fingerprint once it is over, else None."""
        return "%016x" % self._run.fingerprint() if self._run.over else None

    def close(self):
        self._run.close()
        self.world.close()
