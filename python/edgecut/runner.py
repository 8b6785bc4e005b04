"""edgecut.run: a config run by the command line's own runner, in this
process, with a Python object in the learner slot (learners/python.h).

Any object with ``choose(obs) -> int`` and ``feedback(obs, action, fb)`` is a
learner; optional: ``setup(space)`` (called once per device before frame 0),
``on_timer(now_ns, tag)`` (after ``space.timer(at_ns, tag)``) and
``on_message`` (accepted, never called: Python learners have no edge-side
coordinator).  ``obs`` is the dict Env gives (without ``x``; the contexts are
``space.x``), ``fb`` a dict: delay_s, front_s, offload_s, tput_bps,
accuracy, energy_j, deadline_met.
"""
import os
import re
import sys
import tempfile
import traceback

import numpy as np

from . import _native
from ._native import ffi, lib, EC_TPUT_HISTORY
from .env import _actions_info, _text
from .errors import EdgecutError, LearnerError, raise_for


class Space:
    """What a Python learner is told once per device: ``device`` (run
    index), ``kind`` ("DEVICE/MODEL"), ``n_actions``, ``actions`` (a dict of
    arrays: exit, cut, bits, offloads, front_s, bytes, accuracy,
    result_bytes), ``x`` (n_actions x dim contexts); ``now()`` (simulated ns)
    and ``timer(at_ns, tag)``."""

    def __init__(self, setup, token):
        self.device = setup.device
        self.kind = ffi.string(setup.kind).decode() if setup.kind != ffi.NULL else ""
        self.n_actions = int(setup.n_actions)
        self.actions, self.x = _actions_info(setup.actions, self.n_actions, int(setup.dim))
        self._token = token

    def now(self):
        return int(lib.ec_python_now(self._token))

    def timer(self, at_ns, tag):
        rc = lib.ec_python_timer(self._token, int(at_ns), int(tag))
        if rc:
            raise EdgecutError("timer at %d ns: refused (status %d)" % (at_ns, rc), rc)


def observation(o, n):
    """An ``ec_observation`` as the dict Python learners get."""
    nt = int(o.n_tput)
    hist = np.full(EC_TPUT_HISTORY, np.nan)
    if nt:
        hist[:nt] = np.frombuffer(ffi.buffer(o.tput_hist, nt * 8), dtype=np.float64)
    return {
        "frame": int(o.frame), "t": o.t_ns / 1e9, "keyframe": int(o.keyframe),
        "front_s": np.frombuffer(ffi.buffer(o.front_s, n * 8), dtype=np.float64).copy(),
        "load": o.load, "deadline_s": o.deadline_s, "last_delay_s": o.last_delay_s,
        "tput_bps": o.tput_bps, "tput_hist": hist, "n_tput": nt,
        "link": np.array((o.link.up_bps, o.link.down_bps, o.link.up_latency_s,
                          o.link.down_latency_s)),
    }


class _Slot:
    """The hooks attached while a run is in progress: the learner (or its
    factory), the devices' instances, the first exception a learner raised."""

    def __init__(self, learner):
        self.learner = learner
        # one object for every device, or a factory (a class, a function)
        self.shared = not isinstance(learner, type) and hasattr(learner, "choose")
        self.takes_space = not self.shared and _takes_argument(learner)
        self.live = {}        # handle id -> (learner, n_actions, obs cache)
        self.next_id = 1
        self.exc = None       # the first exception a learner raised (this process)
        self.where = None
        self._keep = []
        self.hooks = ffi.new("ec_python_hooks *")
        cb = [ffi.callback("int(const ec_learner_setup_head *, void *, void **, ec_diag *)",
                           self._init, onerror=self._onerror_int),
              ffi.callback("int(void *, const ec_observation *, size_t *, ec_diag *)",
                           self._choose, onerror=self._onerror_int),
              ffi.callback("int(void *, const ec_observation *, size_t, const ec_feedback *, "
                           "ec_diag *)", self._feedback, onerror=self._onerror_int),
              ffi.callback("int(void *, int64_t, int, ec_diag *)", self._on_timer,
                           onerror=self._onerror_int),
              ffi.callback("void(void *)", self._free)]
        self._keep = cb
        self.hooks.init, self.hooks.choose, self.hooks.feedback, self.hooks.on_timer, \
            self.hooks.free = cb

    def _onerror_int(self, exc, val, tb):  # an error cffi could not hand us (last resort)
        return 4

    def _fail(self, d, hook, device, e):
        """Record e (the first one kept with its traceback) and write its
        message with the traceback into d."""
        if self.exc is None:
            self.exc = e
            self.where = (hook, device)
        text = "Python learner %s on device %s: %s raised\n%s" % (
            self.name, device, hook, "".join(traceback.format_exception(e)).rstrip())
        return lib.ec_python_fail(d, text.encode("utf-8", "replace"))

    def _init(self, setup, token, handle, d):
        if self.exc is not None:
            return lib.ec_python_fail(d, ("not run: Python learner %s raised in an earlier run "
                                          "(%r)" % (self.name, self.exc)).encode())
        try:
            space = Space(setup, token)
            if self.shared:
                obj = self.learner
            else:
                obj = self.learner(space) if self.takes_space else self.learner()
            if hasattr(obj, "setup"):
                obj.setup(space)
            h = self.next_id
            self.next_id += 1
            self.live[h] = (obj, space.n_actions, space.device)
            handle[0] = ffi.cast("void *", h)
            return 0
        except BaseException as e:   # noqa: B902 - any exception fails the run
            return self._fail(d, "setup", setup.device, e)

    def _choose(self, handle, obs, action, d):
        obj, n, dev = self.live[int(ffi.cast("intptr_t", handle))]
        try:
            a = obj.choose(observation(obs, n))
            a = int(a)
            if not 0 <= a < n:
                raise ValueError("choose returned action %d, outside [0, %d) (frame %d)"
                                 % (a, n, obs.frame))
            action[0] = a
            return 0
        except BaseException as e:   # noqa: B902
            return self._fail(d, "choose", dev, e)

    def _feedback(self, handle, obs, action, fb, d):
        obj, n, dev = self.live[int(ffi.cast("intptr_t", handle))]
        if not hasattr(obj, "feedback"):
            return 0
        try:
            obj.feedback(observation(obs, n), int(action), {
                "delay_s": fb.delay_s, "front_s": fb.front_s, "offload_s": fb.offload_s,
                "tput_bps": fb.tput_bps, "accuracy": fb.accuracy, "energy_j": fb.energy_j,
                "deadline_met": bool(fb.deadline_met)})
            return 0
        except BaseException as e:   # noqa: B902
            return self._fail(d, "feedback", dev, e)

    def _on_timer(self, handle, now_ns, tag, d):
        obj, n, dev = self.live[int(ffi.cast("intptr_t", handle))]
        try:
            if hasattr(obj, "on_timer"):
                obj.on_timer(int(now_ns), int(tag))
            return 0
        except BaseException as e:   # noqa: B902
            return self._fail(d, "on_timer", dev, e)

    def _free(self, handle):
        self.live.pop(int(ffi.cast("intptr_t", handle)), None)


def _takes_argument(factory):
    """Whether factory (a class or a function) requires a positional
    argument (one without a default): it then gets the device's Space."""
    import inspect
    try:
        sig = inspect.signature(factory)
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
               for p in sig.parameters.values())


def learner_name(learner):
    """The label a learner gets in the config: its class's name (of the
    class itself for a factory class), reduced to [A-Za-z0-9_.-]."""
    if isinstance(learner, type):
        name = learner.__name__
    elif hasattr(learner, "choose"):
        name = type(learner).__name__
    else:
        name = getattr(learner, "__name__", type(learner).__name__)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return name or "learner"


def run(config, section="General", learner=None, db=None, set=None, jobs=1, runs=None,
        groups=None, rerun=False, quiet=False):
    """Run a config (every run of its section: a sweep too) as ``edgecut run``
    does, with ``learner`` in the learner slot of every device (``groups``:
    only of the groups named).

    ``learner``: an object with ``choose``/``feedback`` (one object serves
    every device and run), or a factory (a class or function) called once
    per device and run, with the device's :class:`Space` when it requires
    an argument (one without a default), else with none.  The config's learner becomes ``python:NAME`` (NAME: the
    class's name), so the run's config and identity say a Python learner
    ran; without ``learner`` the config runs as it is.  ``section`` is a name
    or a list of them; ``db`` the results database (default: the command
    line's, ``results/STEM.db``); ``set`` a dict of overrides; ``jobs`` worker
    processes (forked: each runs its own copy of the learner); ``runs`` a run
    selection as ``-r`` takes it ("0,3,5-9"); ``rerun`` replaces changed runs;
    ``quiet`` prints nothing.

    The database gets the rows ``edgecut run`` writes: ``edgecut plot``,
    ``report`` and :func:`edgecut.load` read them unchanged, and a second
    call skips the runs already done (an interrupted sweep resumes).  Returns
    the database path.  A failure raises: bad input as
    :class:`edgecut.ConfigError`, the learner's exception itself (with its
    traceback; the run it failed keeps only its failed run row and no later
    run starts), or, from a worker process, :class:`edgecut.LearnerError`
    with the traceback's text.
    """
    argv = ["edgecut", "run", str(config)]
    for s in ([section] if isinstance(section, str) else list(section or [])):
        argv += ["-c", s]
    if db is not None:
        argv += ["--db", str(db)]
    if runs is not None:
        argv += ["-r", str(runs)]
    argv += ["-j", str(int(jobs))]
    if rerun:
        argv.append("--rerun")
    if quiet:
        argv.append("--quiet")
    slot = None
    if learner is not None:
        name = "python:" + learner_name(learner)
        if groups:
            for g in ([groups] if isinstance(groups, str) else groups):
                argv += ["--set", "group.%s.learner=%s" % (g, name)]
        else:
            argv += ["--set", "learner=%s" % name]
        slot = _Slot(learner)
        slot.name = name
    for k, v in (set.items() if isinstance(set, dict) else
                 (s.split("=", 1) for s in (set or []))):
        argv += ["--set", "%s=%s" % (k, _text(v))]
    if db is None:
        stem = os.path.splitext(os.path.basename(str(config)))[0]
        db = os.path.join("results", stem + ".db")

    keep = [ffi.new("char[]", a.encode()) for a in argv]
    cargv = ffi.new("char *[]", keep + [ffi.NULL])
    sys.stdout.flush()
    sys.stderr.flush()
    err = tempfile.TemporaryFile()
    saved = os.dup(2)
    if slot is not None:
        lib.ec_python_set_hooks(slot.hooks)
    try:
        os.dup2(err.fileno(), 2)
        status = lib.ecpy_cli(len(argv), cargv)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        if slot is not None:
            lib.ec_python_set_hooks(ffi.NULL)
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    if text and (not quiet or status):
        sys.stderr.write(text)
        sys.stderr.flush()
    if slot is not None and slot.exc is not None:
        e = slot.exc
        if hasattr(e, "add_note"):
            e.add_note("edgecut.run: raised by the Python learner's %s on device %s; the run "
                       "keeps no results (status 'failed') and no later run started"
                       % slot.where)
        raise e
    if status:
        msgs = [line[len("edgecut: "):] for line in text.splitlines()
                if line.startswith("edgecut: ")]
        msg = "\n".join(msgs) if msgs else "edgecut run failed (exit status %d)" % status
        if "Python learner" in text:
            raise LearnerError(text.strip(), 4)
        raise_for(5 if status == 2 else 4, msg)
    return str(db)
