/**
 * `npm run bench -- ui [--seconds N] [--rounds R] [--json]`: the UI's frame rate and the trainer's speed while
 * the UI watches, on one run (FourRooms sequence, ewc, seed 1, periodic evaluation off so only training is
 * timed). In each of R rounds (default 4):
 *   1. web shell, no browser: the trainer process behind the web shell at max speed (events go nowhere),
 *      timed for N seconds (default 5);
 *   2. web shell + Chromium: the same with the page open, N seconds. The UI fps is the page's
 *      requestAnimationFrame rate: what the page can show (scrolling, typing, a moving slider) while the trainer
 *      runs; its longest gap between two frames is printed too (a stall the user would feel). The live view
 *      itself draws only when a new picture arrives (10/s at max speed), and that rate is printed as well.
 *      The counting loop keeps Chromium producing frames 60 times a second, which the app alone does not, so
 *      the trainer's measured loss here is, if anything, pessimistic;
 *   3. headless: a ContinualRunner in this process, no UI at all, the same run (same seed) timed over exactly
 *      the steps the shell's trainer was timed over in 1 and 2 — training slows down as it goes (after a task
 *      ends EWC's penalty is trained too), so only the same steps compare.
 * Only one of them runs at a time (the others are paused, and the page is closed outside 2), and they
 * alternate round by round, because this machine's speed drifts by up to 1.5× within minutes: timed one
 * after another, they would compare different machines. The loss is reported per round and pooled.
 * Besides wall-clock steps/s, each trainer's CPU time is read (process.cpuUsage in-process; /proc/<pid>/stat of
 * the trainer child on Linux), so "steps per CPU-second" separates the trainer's own overhead of serving the
 * UI from CPU taken by other processes (the browser, other jobs) on a shared machine. The CPU the UI itself
 * takes in condition 2 is printed too: all Chromium processes this bench launched, and the web shell's own
 * process (the trainer excluded).
 * The bench's own control connection tells the shell it shows nothing (`set-view`), so in condition 1 the
 * trainer serves no UI at all and in condition 2 exactly what the page shows. The page's renderer (webgl or
 * canvas, chosen by renderer/views/render-quality.ts) is printed with the fps.
 * Targets (issue 7): UI ≥ 55 fps; trainer with UI ≥ 90% of headless steps/s.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ContinualRunner } from '../src/continual/runner';
import { BUILTIN_SEQUENCES } from '../src/continual/sequences';
import { createLabApi, type LabApi } from '../src/protocol/lab-api';
import type { StartCommand } from '../src/protocol/messages';
import { initBackend } from '../src/tf/backend';
import { createWsTransport, type SocketLike } from '../renderer/lab-api/ws-client';
import { launchBrowser, startShell } from '../scripts/lib/web-shell';

const START: Omit<StartCommand, 'type'> = {
  sequence: 'fourrooms',
  strategy: 'ewc',
  seed: 1,
  record: false,
  config: { evalEvery: 100_000_000 },
};
const WARMUP_STEPS = 1000;
/** Rounds stop early once the shell's run has done this many steps (it must not finish inside a round). */
const LAST_ROUND_START = 0.8 * BUILTIN_SEQUENCES.fourrooms!.tasks.reduce((n, t) => n + t.steps, 0);

interface Speed {
  steps: number;
  seconds: number;
  perSec: number;
  /** Steps per second of the trainer's own CPU time (null where it cannot be read). */
  perCpuSec: number | null;
}

let clockTicks: number | undefined;
/** The kernel's clock ticks per second (`getconf CLK_TCK`), read once. */
function clockTicksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return clockTicks;
}

/** CPU seconds (user + system) used so far by process `pid` (Linux /proc), or null. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return ticks / clockTicksPerSecond();
  } catch {
    return null;
  }
}

/** The trainer: the child of the web shell that runs src/trainer/main.ts. */
function trainerPid(shellPid: number): number | null {
  try {
    const out = execFileSync('ps', ['--ppid', String(shellPid), '-o', 'pid=,args=']).toString();
    const line = out.split('\n').find((l) => l.includes('trainer/main'));
    return line ? Number(line.trim().split(/\s+/)[0]) : null;
  } catch {
    return null;
  }
}

/** Pids of the Chromium processes started by this bench (its descendants whose name says chromium). */
function chromiumPids(): number[] {
  try {
    const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='])
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    const children = new Map<number, number[]>();
    const names = new Map<number, string>();
    for (const [pid, ppid, comm] of rows) {
      const list = children.get(Number(ppid)) ?? [];
      list.push(Number(pid));
      children.set(Number(ppid), list);
      names.set(Number(pid), comm ?? '');
    }
    const found: number[] = [];
    const queue = [process.pid];
    while (queue.length > 0) {
      for (const c of children.get(queue.shift()!) ?? []) {
        if (/chrom/i.test(names.get(c) ?? '')) found.push(c);
        queue.push(c);
      }
    }
    return found;
  } catch {
    return [];
  }
}

/** Total CPU seconds of `pids` so far (processes that cannot be read count 0). */
function cpuSecondsOfAll(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0);
}

function parseArgs(args: string[]): { seconds: number; rounds: number; json: boolean } {
  const number = (flag: string, fallback: number): number => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const seconds = number('--seconds', 5);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${seconds}`);
  const rounds = number('--rounds', 4);
  if (!(Number.isInteger(rounds) && rounds >= 1))
    throw new Error(`--rounds must be a whole number ≥ 1, got ${rounds}`);
  return { seconds, rounds, json: args.includes('--json') };
}

/** A LabApi over the shell's WebSocket from Node (the bench's own control connection). */
async function connect(url: string): Promise<{ lab: LabApi; socket: WebSocket }> {
  const u = new URL(url);
  const socket = new WebSocket(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`, {
    origin: u.origin,
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { lab: createLabApi('web', createWsTransport(socket as unknown as SocketLike)), socket };
}

interface FrameStats {
  /** requestAnimationFrame callbacks per second. */
  fps: number;
  /** Longest time between two callbacks (ms). */
  maxGapMs: number;
  /** Pictures the live view drew per second (its canvas renders; null where the stats are missing). */
  viewFps: number | null;
}

/**
 * The page's frame statistics over `seconds`. The page script is a string: tsx would wrap a function's inner
 * helpers with its `__name` helper, which the page does not have.
 */
async function measureFps(page: import('playwright-core').Page, seconds: number): Promise<FrameStats> {
  const script = `new Promise((resolve) => {
    let frames = 0;
    let maxGap = 0;
    const t0 = performance.now();
    let last = t0;
    const renders0 = window.__labStats ? window.__labStats.renders : null;
    const tick = (now) => {
      frames++;
      maxGap = Math.max(maxGap, now - last);
      last = now;
      const dt = performance.now() - t0;
      if (dt < ${seconds * 1000}) requestAnimationFrame(tick);
      else {
        const renders = renders0 === null ? null : window.__labStats.renders - renders0;
        resolve({ fps: (frames * 1000) / dt, maxGapMs: maxGap, viewFps: renders === null ? null : (renders * 1000) / dt });
      }
    };
    requestAnimationFrame(tick);
  })`;
  return (await page.evaluate(script)) as FrameStats;
}

/** Speeds of one condition summed over rounds. */
function pooled(xs: readonly Speed[]): Speed {
  const steps = xs.reduce((n, x) => n + x.steps, 0);
  const seconds = xs.reduce((n, x) => n + x.seconds, 0);
  const cpu = xs.every((x) => x.perCpuSec !== null)
    ? xs.reduce((n, x) => n + x.steps / x.perCpuSec!, 0)
    : null;
  return { steps, seconds, perSec: steps / seconds, perCpuSec: cpu === null ? null : steps / cpu };
}

/**
 * The in-process reference run, the same run as the shell's (same seed, so the same computation step for
 * step). `time(from, to)` advances it (untimed) to step `from`, then times the steps up to `to`; so each
 * of the shell trainer's timed stretches is compared with the very same steps done headless (training gets
 * slower as it goes: after a task ends, EWC's penalty is trained too).
 */
async function headlessRunner(): Promise<{
  time: (from: number, to: number) => Promise<Speed>;
  dispose: () => void;
}> {
  await initBackend();
  const runner = new ContinualRunner({
    sequence: START.sequence,
    strategy: START.strategy,
    seed: START.seed,
    ...START.config,
  });
  const advanceTo = async (step: number): Promise<void> => {
    while (runner.status().step < step) await runner.advance(Math.min(50, step - runner.status().step));
  };
  return {
    async time(from, to) {
      if (runner.status().step > from) throw new Error(`the reference run is past step ${from}`);
      await advanceTo(from);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await advanceTo(to);
      const cpu = process.cpuUsage(c0);
      const dt = (performance.now() - t0) / 1000;
      const steps = runner.status().step - from;
      return { steps, seconds: dt, perSec: steps / dt, perCpuSec: steps / ((cpu.user + cpu.system) / 1e6) };
    },
    dispose: () => runner.dispose(),
  };
}

export async function run(args: string[]): Promise<void> {
  const { seconds, rounds, json } = parseArgs(args);
  const load = os.loadavg()[0]!;
  const reference = await headlessRunner();
  const sessions = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-ui-'));
  const shell = await startShell(sessions);
  const browser = await launchBrowser();
  const { lab, socket } = await connect(shell.url);
  /** Headless speeds over the steps of each watched stretch (`base`) and each unwatched one (`baseBare`). */
  const base: Speed[] = [];
  const baseBare: Speed[] = [];
  const bare: Speed[] = [];
  const ui: Speed[] = [];
  const fps: FrameStats[] = [];
  const chromiumCpu: number[] = [];
  const shellCpu: number[] = [];
  let idleFps: number;
  let renderer: string | null = null;
  try {
    /** The shell run's latest status. */
    let latest = { step: 0, paused: false };
    lab.onEvent((e) => {
      if (e.type === 'status' && e.status.running) latest = { step: e.status.step, paused: e.status.paused };
    });
    await lab.getInfo();
    // This connection only steers and reads status; it draws nothing.
    await lab.setView({ live: false, multiples: false, overlay: false });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const openPage = async (): Promise<void> => {
      await page.goto(shell.url);
      await page.getByTestId('backend').waitFor();
    };
    await openPage();
    idleFps = (await measureFps(page, 3)).fps;
    await page.goto('about:blank');
    await lab.setSpeed({ mode: 'max' });
    await lab.start(START);
    const warm = Date.now() + 300_000;
    while (latest.step < WARMUP_STEPS) {
      if (Date.now() > warm) throw new Error('the trainer did not reach the warm-up step within 5 minutes');
      await sleep(100);
    }
    await lab.pause();
    const pid = trainerPid(shell.process.pid!);
    /** The exact step of the paused shell run: a paused trainer reports its status several times a second. */
    const pausedStep = async (): Promise<number> => {
      await sleep(400);
      if (!latest.paused) throw new Error('the shell run did not pause');
      return latest.step;
    };
    /**
     * Time the shell's trainer from resume to pause, with `during` running in between. Returns its speed and the
     * steps it was timed over (the chunk running when the pause arrives still ends: at most ~25 ms of steps).
     */
    const timeShell = async (during: () => Promise<void>): Promise<Speed & { from: number; to: number }> => {
      const from = await pausedStep();
      const cpu0 = pid === null ? null : cpuSecondsOf(pid);
      const t0 = performance.now();
      await lab.resume();
      await during();
      await lab.pause();
      const dt = (performance.now() - t0) / 1000;
      const to = await pausedStep();
      const cpu1 = pid === null ? null : cpuSecondsOf(pid);
      const steps = to - from;
      const perCpuSec = cpu0 !== null && cpu1 !== null && cpu1 > cpu0 ? steps / (cpu1 - cpu0) : null;
      return { steps, seconds: dt, perSec: steps / dt, perCpuSec, from, to };
    };
    for (let r = 0, reached = 0; r < rounds && reached < LAST_ROUND_START; r++) {
      const alone = await timeShell(() => sleep(seconds * 1000));
      bare.push(alone);
      await openPage();
      const browserPids = chromiumPids();
      const t0 = performance.now();
      const ui0 = { chromium: cpuSecondsOfAll(browserPids), shell: cpuSecondsOf(shell.process.pid!) ?? 0 };
      const watched = await timeShell(async () => {
        fps.push(await measureFps(page, seconds));
      });
      ui.push(watched);
      reached = watched.to;
      const windowSec = (performance.now() - t0) / 1000;
      chromiumCpu.push((cpuSecondsOfAll(browserPids) - ui0.chromium) / windowSec);
      shellCpu.push(((cpuSecondsOf(shell.process.pid!) ?? 0) - ui0.shell) / windowSec);
      renderer = (await page.evaluate('window.__labStats?.renderer ?? null')) as string | null;
      await page.goto('about:blank');
      baseBare.push(await reference.time(alone.from, alone.to));
      base.push(await reference.time(watched.from, watched.to));
    }
    await lab.reset();
  } finally {
    socket.close();
    await browser.close();
    await shell.stop();
    reference.dispose();
    fs.rmSync(sessions, { recursive: true, force: true });
  }
  const headless = pooled(base);
  const withUi = pooled(ui);
  const shellOnly = pooled(bare);
  const loss = 1 - withUi.perSec / headless.perSec;
  const cpuLoss =
    withUi.perCpuSec !== null && headless.perCpuSec !== null
      ? 1 - withUi.perCpuSec / headless.perCpuSec
      : null;
  const done = ui.length;
  const perRound = ui.map((x, i) => 1 - x.perSec / base[i]!.perSec);
  const perRoundBare = bare.map((x, i) => 1 - x.perSec / baseBare[i]!.perSec);
  const bareLoss = 1 - shellOnly.perSec / pooled(baseBare).perSec;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanFps = mean(fps.map((x) => x.fps));
  const maxGap = Math.max(...fps.map((x) => x.maxGapMs));
  const views = fps.flatMap((x) => (x.viewFps === null ? [] : [x.viewFps]));
  const viewFps = views.length > 0 ? mean(views) : null;
  const f = (n: number | null): string => (n === null ? 'n/a' : n.toFixed(1));
  const row = (name: string, x: Speed): string =>
    `${name.padEnd(38)}${f(x.perSec).padStart(7)} steps/s, ${f(x.perCpuSec).padStart(7)} per CPU-second (${x.steps} steps in ${f(x.seconds)} s)`;
  const lines = [
    `load average (1 min) at start: ${load.toFixed(1)} on ${os.cpus().length} cores; ${done} rounds of ${seconds} s per condition${done < rounds ? ` (of ${rounds} asked: the run neared its end)` : ''}`,
    row('headless trainer (in-process):', headless),
    row('web shell trainer, Chromium watching:', withUi),
    row('web shell trainer, no browser:', shellOnly),
    row('  headless over the same steps:', pooled(baseBare)),
    `trainer loss with the UI vs headless:  ${f(loss * 100)}% wall, ${f(cpuLoss === null ? null : cpuLoss * 100)}% per CPU-second (target ≤ 10%)`,
    `  per round (wall):                    ${perRound.map((x) => `${f(x * 100)}%`).join(', ')}`,
    `trainer loss with no browser:          ${f(bareLoss * 100)}% wall; per round ${perRoundBare.map((x) => `${f(x * 100)}%`).join(', ')}`,
    `UI frame rate while training at max:   ${f(meanFps)} fps (target ≥ 55; lowest round ${f(Math.min(...fps.map((x) => x.fps)))}; longest frame gap ${f(maxGap)} ms); idle page: ${f(idleFps)} fps`,
    `live view while training at max:       ${f(viewFps)} pictures/s drawn; renderer: ${renderer ?? 'n/a'}`,
    `UI processes' CPU while training:      Chromium ${f(mean(chromiumCpu) * 100)}% of a core, web shell ${f(mean(shellCpu) * 100)}%`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ load, rounds: done, seconds, headless, shell: shellOnly, withUi, loss, cpuLoss, perRound, bareLoss, perRoundBare, speeds: { headless: base, withUi: ui, shell: bare, headlessShellSteps: baseBare }, fps: meanFps, fpsPerRound: fps.map((x) => x.fps), maxFrameGapMs: maxGap, viewFps, idleFps, renderer, uiCpu: { chromium: mean(chromiumCpu), shell: mean(shellCpu) } })}\n`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
