"""edgecut from Python: the simulator's runs as Gymnasium environments, Python
learners in the learner slot of a run, results as pandas DataFrames.

- :class:`Env`: one device's decisions, step by step (a Gymnasium env);
- :class:`VecEnv`: every Python-controlled device of one world per call;
- :func:`run`: ``edgecut run`` with a Python learner, writing the same rows;
- :func:`load`: a results database as DataFrames.

The C library (libedgecut) does the simulation; errors in it surface as
:class:`EdgecutError` (bad input: :class:`ConfigError`) with its message.
"""
from .errors import ActionError, ConfigError, EdgecutError, LearnerError
from .env import RESULT_DTYPE, Env, VecEnv, World
from .results import Results, load
from .runner import Space, run

__all__ = ["Env", "VecEnv", "World", "run", "load", "Results", "Space", "RESULT_DTYPE",
           "EdgecutError", "ConfigError", "ActionError", "LearnerError"]
__version__ = "0.1.0"
