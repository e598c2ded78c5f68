"""The PyTorch peer of `npm run bench -- speed`: the same DQN update and the same CartPole training loop,
CleanRL style, on PyTorch's CPU backend with OpenBLAS, one thread.

Why OpenBLAS: Debian's python3-torch links the generic reference BLAS (a 64×256×256 matmul ≈ 30× slower than
OpenBLAS), which no researcher's PyTorch runs on. This script makes the peer fair by itself: on first use it
unpacks Debian's libopenblas0-pthread (`apt-get download` + `dpkg -x`, nothing is installed) into
$OPENBLAS_PEER_DIR (default $TMPDIR/openblas-peer), then re-executes itself with LD_LIBRARY_PATH pointing there
and OPENBLAS_NUM_THREADS=1. It prints the BLAS library the process really loaded (from /proc/self/maps).

  apt-get install -y python3-torch        # Debian's torch; no PyPI needed
  python3 scripts/pytorch-dqn-peer.py update --hidden 128 --batch 64 [--double] [--updates 1000]
  python3 scripts/pytorch-dqn-peer.py cartpole --steps 20000 [--double]
Each prints one JSON line on stdout.

`update`: batch B, input 16, 4 actions, MLP 2×hidden: target (plain max_a Q_target(s′, a), or Double DQN),
Huber (smooth L1) on Q(s, a), backward, clip_grad_norm_(10), Adam; median wall time after a warm-up.
`cartpole`: rl-baselines3-zoo's CartPole-v1 hyperparameters (the project's preset): MLP 256×256, lr 2.3e-3,
batch 64, buffer 100k, learning starts 1000, γ 0.99, target copy every 10 env steps, 128 gradient steps every
256 env steps, ε 1 → 0.04 over 16% of 50k steps; CartPole-v1 dynamics as Gymnasium's (Euler, 500-step limit).
"""
import argparse
import glob
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

PEER_ENV = "DQN_PEER_OPENBLAS"


def ensure_openblas():
    """Re-exec under Debian's OpenBLAS (unpacked on first use) unless already done."""
    if os.environ.get(PEER_ENV) == "1" or os.environ.get("DQN_PEER_BLAS") == "system":
        return
    root = os.environ.get("OPENBLAS_PEER_DIR", os.path.join(tempfile.gettempdir(), "openblas-peer"))
    lib = os.path.join(root, "x", "usr", "lib", "x86_64-linux-gnu", "openblas-pthread")
    if not os.path.exists(os.path.join(lib, "libblas.so.3")):
        os.makedirs(root, exist_ok=True)
        subprocess.run(["apt-get", "download", "libopenblas0-pthread"], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        deb = sorted(glob.glob(os.path.join(root, "libopenblas0-pthread_*.deb")))[-1]
        subprocess.run(["dpkg", "-x", deb, os.path.join(root, "x")], check=True)
    env = dict(os.environ)
    env[PEER_ENV] = "1"
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def loaded_blas():
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    return sorted(paths) or ["(no BLAS library mapped)"]


def mlp(torch, inputs, hidden, actions):
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, actions),
    )


def make_update(torch, online, target, opt, gamma, double):
    F = torch.nn.functional

    def update(s, a, r, s2, done):
        with torch.no_grad():
            if double:
                best = online(s2).argmax(dim=1, keepdim=True)
                next_q = target(s2).gather(1, best).squeeze(1)
            else:
                next_q = target(s2).max(dim=1).values
            y = r + (1 - done) * gamma * next_q
        q = online(s).gather(1, a).squeeze(1)
        loss = F.smooth_l1_loss(q, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(online.parameters(), 10)
        opt.step()
        return loss

    return update


def bench_update(torch, args):
    inputs, actions = 16, 4
    torch.manual_seed(1)
    online, target = mlp(torch, inputs, args.hidden, actions), mlp(torch, inputs, args.hidden, actions)
    target.load_state_dict(online.state_dict())
    opt = torch.optim.Adam(online.parameters(), lr=1e-4)
    g = torch.Generator().manual_seed(2)
    B = args.batch
    data = [
        (torch.randn(B, inputs, generator=g), torch.randint(0, actions, (B, 1), generator=g),
         torch.rand(B, generator=g), torch.randn(B, inputs, generator=g),
         (torch.rand(B, generator=g) < 0.02).float())
        for _ in range(64)
    ]
    update = make_update(torch, online, target, opt, 0.99, args.double)
    for i in range(200):
        update(*data[i % len(data)])
    times = []
    cpu0 = time.process_time()
    for i in range(args.updates):
        t = time.perf_counter()
        update(*data[i % len(data)])
        times.append(time.perf_counter() - t)
    cpu = (time.process_time() - cpu0) / args.updates
    return {"medianMs": statistics.median(times) * 1e3, "cpuMs": cpu * 1e3}


class CartPole:
    """Gymnasium CartPole-v1 dynamics (Euler), termination at |x| > 2.4 or |θ| > 12°, truncation at 500."""

    def __init__(self, rng):
        self.rng = rng
        self.state = None
        self.steps = 0

    def reset(self):
        self.state = [self.rng.uniform(-0.05, 0.05) for _ in range(4)]
        self.steps = 0
        return list(self.state)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = 10.0 if action == 1 else -10.0
        cos, sin = math.cos(theta), math.sin(theta)
        total_mass, pole_mass_length, length = 1.1, 0.05, 0.5
        temp = (force + pole_mass_length * theta_dot * theta_dot * sin) / total_mass
        theta_acc = (9.8 * sin - cos * temp) / (length * (4.0 / 3.0 - 0.1 * cos * cos / total_mass))
        x_acc = temp - pole_mass_length * theta_acc * cos / total_mass
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * x_acc
        theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * theta_acc
        self.state = [x, x_dot, theta, theta_dot]
        self.steps += 1
        terminated = x < -2.4 or x > 2.4 or theta < -12 * 2 * math.pi / 360 or theta > 12 * 2 * math.pi / 360
        return list(self.state), 1.0, terminated, self.steps >= 500


def bench_cartpole(torch, args):
    import random

    import numpy as np

    hp = dict(lr=2.3e-3, batch=64, buffer=100_000, starts=1000, gamma=0.99, target_every=10, train_freq=256,
              gradient_steps=128, fraction=0.16, final_eps=0.04, total=50_000)
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    np_rng = np.random.default_rng(args.seed)
    online, target = mlp(torch, 4, 256, 2), mlp(torch, 4, 256, 2)
    target.load_state_dict(online.state_dict())
    opt = torch.optim.Adam(online.parameters(), lr=hp["lr"])
    update = make_update(torch, online, target, opt, hp["gamma"], args.double)
    obs_buf = np.zeros((hp["buffer"], 4), np.float32)
    next_buf = np.zeros((hp["buffer"], 4), np.float32)
    act_buf = np.zeros((hp["buffer"], 1), np.int64)
    rew_buf = np.zeros(hp["buffer"], np.float32)
    done_buf = np.zeros(hp["buffer"], np.float32)
    env = CartPole(rng)
    obs = env.reset()
    size = pos = collected = episodes = 0
    returns, ep_return = [], 0.0
    start, cpu0 = time.perf_counter(), time.process_time()
    for step in range(args.steps):
        progress = step / hp["total"]
        eps = hp["final_eps"] if progress >= hp["fraction"] else 1 + progress * (hp["final_eps"] - 1) / hp["fraction"]
        if step < hp["starts"] or rng.random() < eps:
            action = rng.randrange(2)
        else:
            with torch.no_grad():
                action = int(online(torch.tensor(obs, dtype=torch.float32).unsqueeze(0)).argmax(dim=1))
        next_obs, reward, terminated, truncated = env.step(action)
        obs_buf[pos], next_buf[pos], act_buf[pos], rew_buf[pos], done_buf[pos] = obs, next_obs, action, reward, terminated
        pos, size = (pos + 1) % hp["buffer"], min(size + 1, hp["buffer"])
        ep_return += reward
        collected += 1
        if (step + 1) % hp["target_every"] == 0:
            target.load_state_dict(online.state_dict())
        if terminated or truncated:
            episodes += 1
            returns.append(ep_return)
            ep_return = 0.0
            obs = env.reset()
        else:
            obs = next_obs
        if collected >= hp["train_freq"]:
            if step + 1 > hp["starts"]:
                for _ in range(hp["gradient_steps"]):
                    idx = np_rng.integers(0, size, hp["batch"])
                    update(torch.from_numpy(obs_buf[idx]), torch.from_numpy(act_buf[idx]),
                           torch.from_numpy(rew_buf[idx]), torch.from_numpy(next_buf[idx]),
                           torch.from_numpy(done_buf[idx]))
            collected = 0
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    recent = returns[-20:]
    return {"stepsPerSec": args.steps / wall, "stepsPerCpuSec": args.steps / cpu, "episodes": episodes,
            "recentReturn": sum(recent) / max(1, len(recent))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["update", "cartpole"])
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--double", action="store_true")
    args = parser.parse_args()
    ensure_openblas()
    import torch

    torch.set_num_threads(1)
    result = bench_update(torch, args) if args.mode == "update" else bench_cartpole(torch, args)
    result.update({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": loaded_blas(),
                   "double": args.double})
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
