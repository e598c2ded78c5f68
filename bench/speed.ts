/**
 * `npm run bench -- speed [--rounds N] [--steps N] [--window N] [--old REV] [--python PATH] [--json]`:
 * everything issue #16 ("learn faster per CPU-second") measures, in one run, each comparison interleaved
 * (A B A B …) and printed with the load average beside it:
 *   1. clip + Adam (src/dqn/adam.ts) in ns per parameter, with and without an EWC-style penalty (the update's
 *      kernel — relaxed-SIMD FMA or mul+add — is printed first);
 *   2. one DQN update, 2×128, batch 64, input 16, 4 actions, plain DQN target (and Double DQN): this project
 *      vs PyTorch on OpenBLAS, 1 thread (scripts/pytorch-dqn-peer.py, which unpacks OpenBLAS itself and
 *      prints the BLAS it loaded);
 *   3. the CartPole-v1 training loop, zoo preset (plain DQN), the first `--steps` env steps (20,000): this
 *      project vs the same loop in PyTorch, steps/s;
 *   4. the default sequence with `ewc`: env steps/s of this checkout vs the commit `--old` (default 5854fea,
 *      the commit before this work), unpacked into a temp folder with `git archive`, both run as child
 *      processes by bench/lib/sequence-speed.ts.
 * Needs /usr/bin/python3 with Debian's python3-torch for 2–3 (skipped with a note otherwise) and git for 4.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../envs/rng';
import { HostAdam } from '../src/dqn/adam';
import { DqnAgent } from '../src/dqn/agent';
import { DEFAULT_DQN_CONFIG } from '../src/dqn/config';
import type { QuadraticPenalty } from '../src/dqn/penalty';
import { getPreset } from '../src/dqn/presets';
import { createBatch, ReplayBuffer } from '../src/dqn/replay';
import { DqnTrainer } from '../src/dqn/train-loop';
import { describeBackend, initBackend } from '../src/tf/backend';
import { kernelDescription } from '../src/wasm/arena';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const load = (): string => os.loadavg()[0]!.toFixed(1);
const fmt = (x: number, digits = 3): string => x.toFixed(digits);

/** 1. ns per parameter of HostAdam.step on the CartPole preset's network (CPU time, median of blocks). */
function adamNsPerParam(withPenalty: boolean): number {
  const sizes = [5 * 256, 256, 256 * 256, 256, 256 * 2, 2];
  const rng = new Rng(3);

  const importance = sizes.map((n) => Float32Array.from({ length: n }, () => rng.uniform()));
  const penalty: QuadraticPenalty = {
    lambda: 1,
    importance,
    anchor: sizes.map((n) => new Float32Array(n)),
  };
  const present = sizes.map(() => true);
  const adam = new HostAdam(sizes, {
    learningRate: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    maxGradNorm: 10,
  });
  // As DqnAgent does: the host weights and gradients are the optimizer's own arrays (updated in place).
  const params = adam.paramArrays();
  const grads = adam.gradArrays();
  params.forEach((p) => p.forEach((_, k) => (p[k] = rng.normal() * 0.05)));
  grads.forEach((g) => g.forEach((_, k) => (g[k] = rng.normal() * 0.01)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const step = (): void => adam.step(present, withPenalty ? penalty : null);
  for (let i = 0; i < 300; i++) step();
  const blocks: number[] = [];
  for (let b = 0; b < 7; b++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 200; i++) step();
    const c = process.cpuUsage(c0);
    blocks.push(((c.user + c.system) * 1000) / 200 / total);
  }
  return median(blocks);
}

/** 2. median ms of one project update (plain or Double DQN), after a warm-up. */
function projectUpdateMs(doubleDqn: boolean, updates: number): number {
  const rng = new Rng(1);
  const agent = new DqnAgent({
    config: { ...DEFAULT_DQN_CONFIG, hiddenSizes: [128, 128], batchSize: 64, learningRate: 1e-4, doubleDqn },
    tasks: [{ observationSize: 15, actionCount: 4 }],
    rng,
  });
  const replay = new ReplayBuffer({ capacity: 4096, observationSize: 15 });
  const o = new Float32Array(15);
  const o2 = new Float32Array(15);
  for (let i = 0; i < replay.capacity; i++) {
    for (let k = 0; k < 15; k++) {
      o[k] = rng.normal();
      o2[k] = rng.normal();
    }
    replay.add({
      observation: o,
      nextObservation: o2,
      action: rng.integer(4),
      reward: rng.uniform(),
      terminated: rng.uniform() < 0.02,
      task: 0,
    });
  }
  const batch = createBatch(64, 15);
  const times: number[] = [];
  try {
    for (let i = 0; i < 200 + updates; i++) {
      replay.sample(rng, batch);
      const t0 = performance.now();
      agent.update(batch);
      if (i >= 200) times.push(performance.now() - t0);
    }
  } finally {
    agent.dispose();
  }
  return median(times);
}

interface PeerResult {
  medianMs?: number;
  stepsPerSec?: number;
  stepsPerCpuSec?: number;
  recentReturn?: number;
  blas: string[];
  torch: string;
}

function peer(python: string, args: string[]): PeerResult {
  const out = execFileSync(python, [path.join(repo, 'scripts/pytorch-dqn-peer.py'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as PeerResult;
}

/**
 * 3. the project's CartPole loop over the first `steps` env steps with the zoo's own settings — the ones the
 * PyTorch peer runs (batch 64, 128 gradient steps per round, constant lr), not the preset's remedy for final
 * weights (batch 128, 64 steps, lr annealed), so both sides do the same work.
 */
const ZOO_CARTPOLE = {
  ...getPreset('CartPole-v1').config,
  batchSize: 64,
  gradientSteps: 128,
  learningRateSchedule: 'constant' as const,
};
function projectCartPole(steps: number): { wall: number; cpu: number; recent: number } {
  const trainer = new DqnTrainer({ envId: 'CartPole-v1', config: ZOO_CARTPOLE, seed: 1 });
  try {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    trainer.advance(steps);
    const c = process.cpuUsage(c0);
    return {
      wall: steps / ((performance.now() - t0) / 1000),
      cpu: steps / ((c.user + c.system) / 1e6),
      recent: trainer.status().recentReturn,
    };
  } finally {
    trainer.dispose();
  }
}

interface SequenceSpeed {
  before: { wall: number; cpu: number; steps: number };
  after: { wall: number; cpu: number; steps: number };
}

function sequenceSpeed(root: string, window: number): SequenceSpeed {
  const tsx = path.join(repo, 'node_modules/.bin/tsx');
  const run = spawnSync(tsx, [path.join(repo, 'bench/lib/sequence-speed.ts'), root, String(window)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`sequence run in ${root} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SequenceSpeed;
}

/** The source tree of `rev` in a temp folder (git archive), sharing this checkout's node_modules. */
function checkoutOld(rev: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-old-'));
  const tar = execFileSync('git', ['archive', '--format=tar', rev], { cwd: repo, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(fs.realpathSync(path.join(repo, 'node_modules')), path.join(dir, 'node_modules'));
  return dir;
}

export async function run(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const rounds = Number(flag(args, '--rounds', '3'));
  const steps = Number(flag(args, '--steps', '20000'));
  const window = Number(flag(args, '--window', '3000'));
  const oldRev = flag(args, '--old', '5854fea');
  const python = flag(args, '--python', '/usr/bin/python3');
  const skip = new Set(flag(args, '--skip', '').split(',').filter(Boolean));
  const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);
  const result: Record<string, unknown> = {};
  const choice = await initBackend();
  log(`${new Date().toISOString()}  node ${process.version}  backend ${describeBackend(choice)}`);
  log(`DQN update kernel (src/wasm/gemm.ts, src/dqn/adam-simd.ts): ${kernelDescription()}`);
  log(
    `machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}; load average (1 min) at start: ${load()}`,
  );
  const hasPeer = fs.existsSync(python) && spawnSync(python, ['-c', 'import torch']).status === 0;
  if (!hasPeer)
    log(`(no PyTorch at ${python}: the peer comparisons are skipped; apt-get install python3-torch)`);

  if (!skip.has('adam')) {
    const plain = adamNsPerParam(false);
    const penalized = adamNsPerParam(true);
    result.adamNsPerParam = { plain, penalized };
    log(
      `clip + Adam, 70,402 parameters: ${fmt(plain, 2)} ns/parameter CPU (target ≤ 3); with an EWC penalty folded in: ${fmt(penalized, 2)} ns  [load ${load()}]`,
    );
  }

  if (!skip.has('update')) {
    const ratios: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    let blas: string[] = [];
    projectUpdateMs(false, 400); // warm-up round (JIT, wasm code, allocator), not counted
    for (let r = 0; r < rounds; r++) {
      const a = projectUpdateMs(false, 400);
      ours.push(a);
      if (hasPeer) {
        const b = peer(python, ['update', '--hidden', '128', '--batch', '64', '--updates', '400']);
        theirs.push(b.medianMs!);
        blas = b.blas;
        ratios.push(a / b.medianMs!);
        log(
          `  update round ${r + 1}: project ${fmt(a)} ms, PyTorch ${fmt(b.medianMs!)} ms, ratio ${fmt(a / b.medianMs!, 2)}  [load ${load()}]`,
        );
      } else {
        log(`  update round ${r + 1}: project ${fmt(a)} ms  [load ${load()}]`);
      }
    }
    const dbl = projectUpdateMs(true, 400);
    const dblPeer = hasPeer ? peer(python, ['update', '--double', '--updates', '400']).medianMs! : NaN;
    result.update = {
      projectMs: median(ours),
      pytorchMs: median(theirs),
      ratio: median(ratios),
      doubleMs: dbl,
    };
    log(
      `one update 2×128, batch 64, plain DQN: project ${fmt(median(ours))} ms, PyTorch+OpenBLAS 1 thread ${fmt(median(theirs))} ms → ${fmt(median(ratios), 2)}× PyTorch's time (median of ${rounds} paired rounds; target ≤ 1.1)  [load ${load()}]`,
    );
    log(
      `  Double DQN (one 2B-row online forward): project ${fmt(dbl)} ms (+${fmt((dbl / median(ours) - 1) * 100, 0)}% over plain), PyTorch ${fmt(dblPeer)} ms`,
    );
    if (blas.length) log(`  PyTorch's BLAS (loaded): ${blas.join(', ')}`);
  }

  if (!skip.has('cartpole')) {
    const ours = projectCartPole(steps);
    log(
      `  CartPole project: ${fmt(ours.wall, 0)} steps/s wall, ${fmt(ours.cpu, 0)} per CPU-second (recent return ${fmt(ours.recent, 1)})  [load ${load()}]`,
    );
    if (hasPeer) {
      const theirs = peer(python, ['cartpole', '--steps', String(steps)]);
      log(
        `  CartPole PyTorch: ${fmt(theirs.stepsPerSec!, 0)} steps/s wall, ${fmt(theirs.stepsPerCpuSec!, 0)} per CPU-second (recent return ${fmt(theirs.recentReturn!, 1)})  [load ${load()}]`,
      );
      const ratio = ours.wall / theirs.stepsPerSec!;
      const cpuRatio = ours.cpu / theirs.stepsPerCpuSec!;
      result.cartpole = { project: ours, pytorch: theirs, ratio, cpuRatio };
      log(
        `CartPole-v1 loop, zoo preset, plain DQN, ${steps} steps: project ÷ PyTorch+OpenBLAS = ${fmt(ratio, 2)} wall, ${fmt(cpuRatio, 2)} per CPU-second (target ≥ 0.8)  [load ${load()}]`,
      );
    }
  }

  if (!skip.has('sequence')) {
    const oldRoot = checkoutOld(oldRev);
    try {
      const pairs: { old: SequenceSpeed; now: SequenceSpeed }[] = [];
      for (let r = 0; r < Math.max(1, Math.min(rounds, 2)); r++) {
        const old = sequenceSpeed(oldRoot, window);
        const now = sequenceSpeed(repo, window);
        pairs.push({ old, now });
        log(
          `  default+ewc round ${r + 1}: first task ${fmt(old.before.wall, 0)} → ${fmt(now.before.wall, 0)} steps/s; penalty active ${fmt(old.after.wall, 0)} → ${fmt(now.after.wall, 0)} steps/s  [load ${load()}]`,
        );
      }
      const ratio = (k: 'before' | 'after', u: 'wall' | 'cpu') =>
        median(pairs.map((p) => p.now[k][u] / p.old[k][u]));
      result.sequence = {
        old: oldRev,
        firstTask: { wall: ratio('before', 'wall'), cpu: ratio('before', 'cpu') },
        penaltyActive: { wall: ratio('after', 'wall'), cpu: ratio('after', 'cpu') },
      };
      log(
        `default sequence + ewc, this checkout ÷ ${oldRev}: first task ${fmt(ratio('before', 'wall'), 2)}× wall (${fmt(ratio('before', 'cpu'), 2)}× per CPU-second); next ${window} steps with the penalty ${fmt(ratio('after', 'wall'), 2)}× wall (${fmt(ratio('after', 'cpu'), 2)}× per CPU-second) (target ≥ 1.5)  [load ${load()}]`,
      );
    } finally {
      fs.rmSync(oldRoot, { recursive: true, force: true });
    }
  }
  log(`load average (1 min) at end: ${load()}`);
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
}
