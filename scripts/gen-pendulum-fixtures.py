"""Generates test/envs/fixtures/gymnasium-pendulum-steps.json: one-step transitions of PendulumDiscrete-v1
computed by Gymnasium's own source, i.e. Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py, run
unchanged from a Gymnasium checkout) driven by the torques of Gymnasium's DiscretizeAction(env, bins=5)
(gymnasium/wrappers/transform_action.py): the bin centres 0.5·(linspace(low, high, bins+1)[:-1] + [1:]) of
the float32 action box, cast to the box's float32 dtype, exactly as that wrapper computes them.

Gymnasium itself is not installable here, so pendulum.py runs against the minimal stand-ins of
scripts/gen-gymnasium-fixtures.py for the few `gymnasium` names it imports. Only numpy is needed.

Usage: python3 scripts/gen-pendulum-fixtures.py <path to a Gymnasium git checkout or .git dir> <out.json>
"""

import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def load_shims():
    spec = importlib.util.spec_from_file_location("gen_gym", os.path.join(HERE, "gen-gymnasium-fixtures.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    checkout, out_path = sys.argv[1], sys.argv[2]
    shims = load_shims()
    root = tempfile.mkdtemp()
    shims.install_shims(root, checkout)
    cc = os.path.join(root, "gymnasium", "envs", "classic_control")
    src = subprocess.run(
        ["git", "-C", checkout, "show", "HEAD:gymnasium/envs/classic_control/pendulum.py"],
        check=True, capture_output=True, text=True,
    ).stdout
    with open(os.path.join(cc, "pendulum.py"), "w") as f:
        f.write(src)
    sys.path.insert(0, root)
    from gymnasium.envs.classic_control.pendulum import PendulumEnv

    env = PendulumEnv()
    low = np.array([-env.max_torque], dtype=np.float32)  # the action Box's bounds, float32
    high = np.array([env.max_torque], dtype=np.float32)
    bins = 5
    edges = np.linspace(low[0], high[0], bins + 1)
    centres = np.array(0.5 * (edges[:-1] + edges[1:]), dtype=np.float32)

    def step(state, action):
        env.state = np.array(state, dtype=np.float64)
        obs, reward, terminated, truncated, _ = env.step(np.array([centres[action]], dtype=np.float32))
        return dict(
            state=[float(x) for x in state], action=int(action), next_state=[float(x) for x in env.state],
            obs=[float(x) for x in obs], reward=float(reward), terminated=bool(terminated),
        )

    rng = np.random.default_rng(2026)
    cases = []
    # Rollouts from Gymnasium's reset distribution with random actions (θ drifts past ±π as it spins).
    for episode in range(4):
        env.reset(seed=100 + episode)
        for _ in range(40):
            cases.append(step([float(x) for x in env.state], int(rng.integers(bins))))
    # Random states: large |θ| (several turns either way, the floored modulo), speeds at and past the clip.
    for _ in range(120):
        th = float(rng.uniform(-6 * math.pi, 6 * math.pi))
        thdot = float(rng.choice([rng.uniform(-8, 8), rng.uniform(7.5, 8), rng.uniform(-8, -7.5)]))
        cases.append(step([th, thdot], int(rng.integers(bins))))
    # Exact multiples of π and 0 (the modulo's boundaries).
    for th in [0.0, math.pi, -math.pi, 2 * math.pi, -3 * math.pi]:
        for a in range(bins):
            cases.append(step([th, 0.0], a))

    out = {"PendulumDiscrete-v1": cases}
    with open(out_path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("torques", [repr(float(c)) for c in centres])
    print("PendulumDiscrete-v1", len(cases), "cases")


if __name__ == "__main__":
    main()
