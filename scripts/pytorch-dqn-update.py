"""PyTorch CPU timing of the same DQN update `npm run bench -- dqn` times, for a same-moment comparison.
NOTE: this times the update on whatever BLAS python3-torch loads (Debian links the generic reference BLAS, not a
fair peer). The fair peer is scripts/pytorch-dqn-peer.py (OpenBLAS, 1 thread), used by `npm run bench -- speed`.


One update = Double-DQN target on next states (online argmax, target value), Huber (smooth L1) loss on
Q(s, a), backward, global-norm clipping at 10, Adam step; batch 64, input 16, MLP 2×hidden, 4 actions.
Prints the median wall time over many updates after a warm-up, per thread count.

  apt-get install -y python3-torch   # Debian's torch; no PyPI needed
  /usr/bin/python3 scripts/pytorch-dqn-update.py [HIDDEN]
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

HIDDEN = int(sys.argv[1]) if len(sys.argv) > 1 else 128
BATCH, INPUT, ACTIONS = 64, 16, 4


def mlp():
    return torch.nn.Sequential(
        torch.nn.Linear(INPUT, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, ACTIONS),
    )


def bench(threads, warmup=200, timed=1000):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    online, target = mlp(), mlp()
    target.load_state_dict(online.state_dict())
    opt = torch.optim.Adam(online.parameters(), lr=1e-4)
    g = torch.Generator().manual_seed(2)
    data = [
        (torch.randn(BATCH, INPUT, generator=g), torch.randint(0, ACTIONS, (BATCH, 1), generator=g),
         torch.rand(BATCH, generator=g), torch.randn(BATCH, INPUT, generator=g),
         (torch.rand(BATCH, generator=g) < 0.02).float())
        for _ in range(64)
    ]

    def update(s, a, r, s2, done):
        with torch.no_grad():
            best = online(s2).argmax(dim=1, keepdim=True)
            next_q = target(s2).gather(1, best).squeeze(1)
            y = r + (1 - done) * 0.99 * next_q
        q = online(s).gather(1, a).squeeze(1)
        loss = F.smooth_l1_loss(q, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(online.parameters(), 10)
        opt.step()

    for i in range(warmup):
        update(*data[i % len(data)])
    times = []
    for i in range(timed):
        t = time.perf_counter()
        update(*data[i % len(data)])
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


print(f"# torch {torch.__version__}, batch {BATCH}, MLP 2x{HIDDEN}, input {INPUT}, {ACTIONS} actions")
for threads in (1, 2):
    print(f"pytorch update, {threads} thread(s): median {bench(threads):.3f} ms wall")
