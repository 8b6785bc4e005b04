"""The examples: the NumPy LinUCB decides as the C linucb."""
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "python", "examples"))


def test_numpy_linucb_matches_c(tmp_path):
    import linucb
    same = linucb.main(["--frames", "2000", "--db", str(tmp_path / "l.db")])
    assert same >= 0.999


def test_dqn_example_smoke(tmp_path):
    pytest.importorskip("torch")
    import dqn
    dqn.main(["--train-steps", "300", "--eval-frames", "100", "--db", str(tmp_path / "q.db"),
              "--quiet"])
    assert (tmp_path / "q.db").exists()
