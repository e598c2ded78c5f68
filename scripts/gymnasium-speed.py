"""Measures Gymnasium's own classic-control envs (raw env classes, no gym.make wrappers, which would only
slow them down) in steps per wall-clock second and per CPU-second: random actions, reset when an episode
terminates or reaches its time limit. The baseline for `npm run bench -- envs` measured at the same moment
on the same machine. Runs the env files of a Gymnasium checkout through the stand-ins of
scripts/gen-gymnasium-fixtures.py (Gymnasium is not installable here). Only numpy is needed.

Usage: python3 scripts/gymnasium-speed.py <path to a Gymnasium git checkout> [seconds per env, default 3]
"""

import importlib.util
import os
import sys
import tempfile
import time

import numpy as np


def main() -> None:
    checkout = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    spec = importlib.util.spec_from_file_location(
        "gen_fixtures", os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-gymnasium-fixtures.py")
    )
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    root = tempfile.mkdtemp()
    gen.install_shims(root, checkout)
    sys.path.insert(0, root)
    from gymnasium.envs.classic_control.acrobot import AcrobotEnv
    from gymnasium.envs.classic_control.cartpole import CartPoleEnv
    from gymnasium.envs.classic_control.mountain_car import MountainCarEnv

    envs = {"CartPole-v1": (CartPoleEnv, 2, 500), "MountainCar-v0": (MountainCarEnv, 3, 200), "Acrobot-v1": (AcrobotEnv, 3, 500)}
    for name, (cls, n_actions, limit) in envs.items():
        env = cls()
        env.reset(seed=0)
        rng = np.random.default_rng(0)
        steps = t = 0
        cpu0, wall0 = time.process_time(), time.perf_counter()
        while time.perf_counter() - wall0 < seconds:
            for _ in range(1000):
                _, _, terminated, _, _ = env.step(int(rng.integers(n_actions)))
                t += 1
                if terminated or t >= limit:
                    env.reset()
                    t = 0
            steps += 1000
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        print(f"{name:16s} {steps / wall / 1e3:8.1f}k steps/s ({steps / cpu / 1e3:8.1f}k per CPU-second)")


if __name__ == "__main__":
    main()
