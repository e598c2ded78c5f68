"""Reference runs of the real Stable-Baselines3 DQN with rl-baselines3-zoo's tuned hyperparameters.

Produces the "SB3 itself" rows of BENCHMARKS.md (DQN reference returns): per seed, the final model's mean
return over 20 deterministic episodes (evaluate_policy) and a 5-episode EvalCallback curve every 5k steps.
Not part of the test suite (no PyPI here): SB3 and Gymnasium sources on PYTHONPATH, Debian's python3-torch:

  apt-get install -y python3-torch python3-cloudpickle python3-pandas python3-typing-extensions
  PYTHONPATH=<gymnasium checkout>:<stable-baselines3 checkout> /usr/bin/python3 scripts/sb3-dqn-reference.py CartPole-v1 1 2 3 4 5
"""
import sys
import time

import torch

torch.set_num_threads(1)

import gymnasium as gym
import numpy as np
import stable_baselines3
from stable_baselines3 import DQN
from stable_baselines3.common.callbacks import EvalCallback
from stable_baselines3.common.evaluation import evaluate_policy
from stable_baselines3.common.monitor import Monitor
from stable_baselines3.common.vec_env import DummyVecEnv

HP = {
    "CartPole-v1": dict(
        total_timesteps=50_000,
        kwargs=dict(
            learning_rate=2.3e-3,
            batch_size=64,
            buffer_size=100_000,
            learning_starts=1000,
            gamma=0.99,
            target_update_interval=10,
            train_freq=256,
            gradient_steps=128,
            exploration_fraction=0.16,
            exploration_final_eps=0.04,
            policy_kwargs=dict(net_arch=[256, 256]),
        ),
    ),
    "MountainCar-v0": dict(
        total_timesteps=120_000,
        kwargs=dict(
            learning_rate=4e-3,
            batch_size=128,
            buffer_size=10_000,
            learning_starts=1000,
            gamma=0.98,
            target_update_interval=600,
            train_freq=16,
            gradient_steps=8,
            exploration_fraction=0.2,
            exploration_final_eps=0.07,
            policy_kwargs=dict(net_arch=[256, 256]),
        ),
    ),
}


def make_eval_env(env_id, seed):
    venv = DummyVecEnv([lambda: Monitor(gym.make(env_id))])
    venv.seed(seed)
    return venv


def run(env_id, seed):
    hp = HP[env_id]
    t0 = time.time()
    model = DQN("MlpPolicy", env_id, seed=seed, verbose=0, **hp["kwargs"])
    cb_env = make_eval_env(env_id, 10_000 + seed)
    cb = EvalCallback(
        cb_env, eval_freq=5000, n_eval_episodes=5, deterministic=True, verbose=0,
        log_path=f"sb3-logs/{env_id}_s{seed}",  # needed: curve lists are only filled when log_path is set
    )
    model.learn(total_timesteps=hp["total_timesteps"], callback=cb)
    train_s = time.time() - t0
    eval_env = make_eval_env(env_id, 20_000 + seed)
    mean, std = evaluate_policy(model, eval_env, n_eval_episodes=20, deterministic=True)
    curve = " ".join(
        f"{int(t)}:{float(np.mean(r)):.1f}" for t, r in zip(cb.evaluations_timesteps, cb.evaluations_results)
    )
    secs = time.time() - t0
    print(
        f"{env_id} seed={seed} final20={mean:.2f}+-{std:.2f} pass475={mean >= 475} "
        f"curve[{curve}] steps={model.num_timesteps} n_updates={model._n_updates} train_s={train_s:.1f} total_s={secs:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    print(
        f"# sb3={stable_baselines3.__version__} gymnasium={gym.__version__} torch={torch.__version__} "
        f"numpy={np.__version__} python={sys.version.split()[0]} threads={torch.get_num_threads()}",
        flush=True,
    )
    env_id = sys.argv[1]
    for s in sys.argv[2:]:
        run(env_id, int(s))
