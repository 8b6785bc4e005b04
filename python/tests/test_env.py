"""Env and VecEnv: the API, determinism, exactness against the C learners."""
import numpy as np
import pytest

import edgecut
from conftest import DEFAULT, cli, fingerprints


def small(**kw):
    s = {"frames": 400}
    s.update(kw)
    return s


def test_import_and_layout():
    from edgecut import _native
    _native.check_layout()
    assert edgecut.RESULT_DTYPE.itemsize == 104


def test_env_api():
    env = edgecut.Env(DEFAULT, set=small())
    assert env.action_space.n == env.n_actions == 15
    obs, info = env.reset()
    for k in ("frame", "t", "keyframe", "front_s", "load", "deadline_s", "last_delay_s",
              "tput_bps", "tput_hist", "n_tput", "x"):
        assert k in obs
    assert obs["frame"] == 0 and obs["front_s"].shape == (15,)
    assert obs["x"].shape[0] == 15 and obs["tput_hist"].shape == (16,)
    acts = info["actions"]
    for k in ("exit", "cut", "bits", "bytes", "accuracy"):
        assert len(acts[k]) == 15
    assert list(acts["cut"]) == list(range(15)) and acts["bytes"][14] == 0
    space = env.observation_space
    assert "front_s" in (space if isinstance(space, dict) else space.spaces)
    obs2, r, term, trunc, info = env.step(14)
    assert obs2["frame"] == 1 and not term and not trunc
    fb = info["feedback"]
    assert len(fb) == 1 and fb[0]["frame"] == 0 and fb[0]["action"] == 14
    assert r == pytest.approx(-fb[0]["delay_s"]) and r < 0
    assert fb[0]["regret_s"] >= 0
    assert obs2["last_delay_s"] == pytest.approx(fb[0]["delay_s"])
    n = 1
    while not term:
        obs2, r, term, trunc, info = env.step(int(np.argmin(obs2["front_s"])))
        n += 1
    assert n == 400 and env.fingerprint() == info["fingerprint"]
    with pytest.raises(edgecut.EdgecutError):
        env.step(0)
    env.close()


def test_env_gymnasium_shape_without_gymnasium():
    env = edgecut.Env(DEFAULT, set=small())
    s = env.action_space.sample()
    assert 0 <= s < 15


def test_env_sacd_reward(root):
    env = edgecut.Env(root + "/configs/sacd/deadline.ini", set={"frames": 50},
                      reward="sacd", reward_lambda=1, reward_beta=1)
    obs, info = env.reset()
    assert obs["deadline_s"] > 0
    obs, r, *_ , info = env.step(0)
    fb = info["feedback"][0]
    want = fb["accuracy"] - fb["delay_s"] / fb["deadline_s"] - (0 if fb["deadline_met"] else 1)
    assert r == pytest.approx(want)


def trajectory(env, seed, steps=300):
    rng = np.random.default_rng(7)
    obs, _ = env.reset(seed=seed)
    out = []
    for _ in range(steps):
        obs, r, term, _, info = env.step(int(rng.integers(env.n_actions)))
        out.append((obs["frame"], obs["load"], obs["keyframe"], r))
        if term:
            break
    return out


def test_determinism():
    env = edgecut.Env(DEFAULT, set=small())
    a = trajectory(env, 5)
    b = trajectory(env, 5)
    c = trajectory(env, 6)
    assert a == b
    assert a != c


@pytest.mark.parametrize("learner,action", [("device-only", -1), ("edge-only", 0),
                                            ("fixed", 2)])
def test_env_fingerprint_equals_c(tmp_path, learner, action):
    sets = {"frames": 2000, "learner": learner, "fixed.cut": 2}
    db = tmp_path / "c.db"
    cli("run", DEFAULT, "-r", "0", "--db", db, "--quiet",
        *sum((["--set", "%s=%s" % kv] for kv in sets.items()), []))
    env = edgecut.Env(DEFAULT, set=sets)
    env.reset()
    a = action % env.n_actions
    term = False
    while not term:
        _, _, term, _, info = env.step(a)
    assert info["fingerprint"] == fingerprints(db)["General-0"]


def test_env_action_out_of_range():
    env = edgecut.Env(DEFAULT, set=small())
    obs, _ = env.reset()
    with pytest.raises(edgecut.ActionError, match="out of range"):
        env.step(15)
    with pytest.raises(edgecut.ActionError):
        env.step(-1)
    obs2, *_ = env.step(3)          # the frame still waits: nothing was played
    assert obs2["frame"] == 1


def test_env_python_slot_sees_all_actions(root):
    env = edgecut.Env(root + "/configs/sacd/deadline.ini", set={"frames": 20,
                                                               "learner": "python"})
    a = env.actions
    assert env.n_actions == len(a["exit"]) and len(set(a["exit"])) > 1


def test_vecenv_world_fingerprint(tmp_path, world_ini):
    db = tmp_path / "w.db"
    cli("run", world_ini, "--db", db, "--quiet")
    venv = edgecut.VecEnv(world_ini)
    assert venv.num_envs == 6
    obs, info = venv.reset()
    assert list(obs["device"]) == list(range(6))      # one instant, arrival order
    decisions = 0
    term = False
    results = 0
    while not term:
        n = len(obs["device"])
        acts = venv.n_actions[obs["device"]] - 1      # device only, each device's view
        obs, rew, term, trunc, info = venv.step(acts)
        decisions += n
        results += len(info["feedback"])
        assert len(rew) == len(info["feedback"])
    assert decisions == 360 and results == 360
    assert venv.fingerprint() == fingerprints(db)["General-0"]


def test_vecenv_mixed_world(tmp_path, world_ini):
    """Python decides for group a (learner = python); group b keeps its C
    learner: the same world as a run where a plays device only."""
    db = tmp_path / "w.db"
    cli("run", world_ini, "--db", db, "--quiet")
    venv = edgecut.VecEnv(world_ini, set={"group.a.learner": "python"})
    assert list(venv.devices) == [0, 1, 2, 3]
    acts_a = venv.actions(0)[0]
    dev_only = int(np.flatnonzero((acts_a["offloads"] == 0))[-1])
    obs, _ = venv.reset()
    term = False
    while not term:
        obs, rew, term, _, info = venv.step(np.full(len(obs["device"]), dev_only))
    assert venv.fingerprint() == fingerprints(db)["General-0"]


def test_vecenv_bad_actions(world_ini):
    venv = edgecut.VecEnv(world_ini)
    obs, _ = venv.reset()
    with pytest.raises(edgecut.ActionError):
        venv.step(np.zeros(2, np.int64))
    bad = np.zeros(6, np.int64)
    bad[3] = 99
    with pytest.raises(edgecut.ActionError, match="device 3"):
        venv.step(bad)
    obs2, *_ = venv.step(np.zeros(6, np.int64))
    assert (obs2["frame"] == 1).all()


def test_phase_random_one_at_a_time(world_ini):
    venv = edgecut.VecEnv(world_ini, set={"frames.phase": "random", "frames": 5})
    obs, _ = venv.reset()
    assert len(obs["device"]) == 1


def test_real_trace_from_shared_data(tmp_path):
    """Env on a measured uplink (the maintainers' ../shared/data): the same
    fingerprint as the C device-only run; skipped where the folder is absent."""
    import glob
    from conftest import SHARED_DATA, ROOT
    traces = sorted(glob.glob(SHARED_DATA + "/traces/mahimahi_lte/*up*"))
    if not traces:
        pytest.skip("../shared/data/traces/mahimahi_lte absent")
    sets = {"uplink.trace": traces[0], "frames": 300, "learner": "edge-only"}
    cfg = ROOT + "/configs/ans/real-traces.ini"
    db = tmp_path / "c.db"
    cli("run", cfg, "--db", db, "--quiet", "-r", "0",
        *sum((["--set", "%s=%s" % kv] for kv in sets.items()), []))
    env = edgecut.Env(cfg, set=sets)
    env.reset()
    term = False
    while not term:
        _, _, term, _, info = env.step(0)
    assert info["fingerprint"] == fingerprints(db)["General-0"]


def test_env_one_device_of_a_world(tmp_path, world_ini):
    """Env on device 4 (group b): the others run their C learner."""
    db = tmp_path / "w.db"
    cli("run", world_ini, "--db", db, "--quiet")
    env = edgecut.Env(world_ini, device=4)
    obs, _ = env.reset()
    term, steps = False, 0
    while not term:
        obs, _, term, _, info = env.step(env.n_actions - 1)
        steps += 1
    assert steps == 60 and info["fingerprint"] == fingerprints(db)["General-0"]
    with pytest.raises(ValueError):
        edgecut.Env(world_ini, device=6)
    with pytest.raises(ValueError, match="VecEnv"):
        edgecut.Env(world_ini, set={"learner": "python"})
