"""Generates test/envs/fixtures/gymnasium-extra-steps.json: one-step transitions computed by Gymnasium's own
classic-control source, covering what test/envs/fixtures/gymnasium-classic-control-steps.json lacks (terminal steps
of every env, MountainCar's walls, Acrobot's angle wrapping and velocity clipping).

Gymnasium itself is not installable here, so this script runs the three env files of a Gymnasium checkout
(cartpole.py, mountain_car.py, acrobot.py, utils.py) against minimal stand-ins for the few `gymnasium`
names they import (Env, spaces, logger, error, vector). Only numpy is needed.

Usage: python3 scripts/gen-gymnasium-fixtures.py <path to a Gymnasium git checkout or .git dir> <out.json>
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

SHIM_INIT = '''
import numpy as np
class Env:
    def __class_getitem__(cls, item):
        return cls
    def reset(self, *, seed=None, options=None):
        if seed is not None or not hasattr(self, "np_random"):
            self.np_random = np.random.default_rng(seed)
class _Logger:
    def warn(self, *a, **k):
        pass
logger = _Logger()
class spaces:
    class Discrete:
        def __init__(self, n):
            self.n = n
        def contains(self, a):
            return 0 <= int(a) < self.n
    class Box:
        def __init__(self, *a, **k):
            pass
'''


def install_shims(root: str, checkout: str) -> None:
    cc = os.path.join(root, "gymnasium", "envs", "classic_control")
    os.makedirs(cc)
    os.makedirs(os.path.join(root, "gymnasium", "vector", "utils"))
    files = {
        "gymnasium/__init__.py": SHIM_INIT,
        "gymnasium/error.py": "class DependencyNotInstalled(Exception):\n    pass\n",
        "gymnasium/envs/__init__.py": "",
        "gymnasium/envs/classic_control/__init__.py": "",
        "gymnasium/vector/__init__.py": "class VectorEnv:\n    pass\nclass AutoresetMode:\n    NEXT_STEP = 0\n",
        "gymnasium/vector/utils/__init__.py": "def batch_space(*a, **k):\n    pass\n",
    }
    for rel, text in files.items():
        with open(os.path.join(root, rel), "w") as f:
            f.write(text)
    for name in ["cartpole", "mountain_car", "acrobot", "utils"]:
        src = subprocess.run(
            ["git", "-C", checkout, "show", f"HEAD:gymnasium/envs/classic_control/{name}.py"],
            check=True, capture_output=True, text=True,
        ).stdout
        with open(os.path.join(cc, f"{name}.py"), "w") as f:
            f.write(src)


def transition(env, state, action, tuple_state=False):
    env.state = (float(state[0]), float(state[1])) if tuple_state else np.array(state, dtype=np.float64)
    if hasattr(env, "steps_beyond_terminated"):
        env.steps_beyond_terminated = None  # a fresh episode: the terminal step earns +1 as after reset()
    obs, reward, terminated, _, _ = env.step(action)
    return dict(
        state=[float(x) for x in state], action=int(action), next_state=[float(x) for x in env.state],
        obs=[float(x) for x in obs], reward=float(reward), terminated=bool(terminated),
    )


def pick(cases, rng, plain, terminal):
    """`plain` non-terminal and `terminal` terminal cases, in a random order."""
    t = [c for c in cases if c["terminated"]][:terminal]
    p = [c for c in cases if not c["terminated"]][:plain]
    out = t + p
    rng.shuffle(out)
    return out


def main() -> None:
    checkout, out_path = sys.argv[1], sys.argv[2]
    root = tempfile.mkdtemp()
    install_shims(root, checkout)
    sys.path.insert(0, root)
    from gymnasium.envs.classic_control.acrobot import AcrobotEnv
    from gymnasium.envs.classic_control.cartpole import CartPoleEnv
    from gymnasium.envs.classic_control.mountain_car import MountainCarEnv

    rng = np.random.default_rng(12345)
    u = lambda lo, hi: float(rng.uniform(lo, hi))
    out = {}

    cp = CartPoleEnv()
    cases = [transition(cp, [u(-2.5, 2.5), u(-3, 3), u(-0.25, 0.25), u(-3, 3)], int(rng.integers(2))) for _ in range(2000)]
    out["CartPole-v1"] = pick(cases, rng, 150, 50)

    mc = MountainCarEnv()
    cases = [transition(mc, [u(-1.2, 0.6), u(-0.07, 0.07)], int(rng.integers(3)), True) for _ in range(2000)]
    walls = [
        transition(mc, [float(rng.choice([-1.2, u(-1.2, -1.15), u(0.45, 0.6)])), u(-0.07, 0.07)], int(rng.integers(3)), True)
        for _ in range(300)
    ]
    out["MountainCar-v0"] = pick(cases, rng, 120, 40) + pick(walls, rng, 30, 10)

    ac = AcrobotEnv()
    pi = math.pi
    cases = [
        transition(ac, [u(-pi, pi), u(-pi, pi), u(-4 * pi, 4 * pi), u(-9 * pi, 9 * pi)], int(rng.integers(3)))
        for _ in range(2000)
    ]
    out["Acrobot-v1"] = pick(cases, rng, 150, 50)

    with open(out_path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    for k, v in out.items():
        print(k, len(v), "cases,", sum(c["terminated"] for c in v), "terminal")


if __name__ == "__main__":
    main()
