/**
 * `npm run bench -- ui [--seconds N] [--json]`: the UI's frame rate and the trainer's speed while the UI
 * watches. Three measurements on the same run (FourRooms sequence, ewc, seed 1, periodic evaluation off so
 * only training is timed), each over N seconds (default 15) after a 1,000-step warm-up:
 *   1. headless: ContinualRunner in this process, no UI at all (the reference steps/s);
 *   2. web shell, no browser: the trainer process behind the web shell at max speed (events go nowhere);
 *   3. web shell + Chromium: the same with the page open; the page's requestAnimationFrame rate is the UI fps.
 * Besides wall-clock steps/s, each trainer's CPU time is read (process.cpuUsage in-process; /proc/<pid>/stat of
 * the trainer child on Linux), so "steps per CPU-second" separates the trainer's own overhead of serving the
 * UI from CPU taken by other processes (the browser, other jobs) on a shared machine. The CPU the UI itself
 * takes over the same window is printed too: all Chromium processes this bench launched, and the web shell's
 * own process (the trainer excluded).
 * The bench's own control connection tells the shell it shows nothing (`set-view`), so in run 2 the trainer
 * serves no UI at all and in run 3 exactly what the page shows. The page's renderer (webgl or canvas, chosen
 * by renderer/views/render-quality.ts) is printed with the fps.
 * Targets (issue 7): UI ≥ 55 fps; trainer with UI ≥ 90% of headless steps/s.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ContinualRunner } from '../src/continual/runner';
import { createLabApi, type LabApi } from '../src/protocol/lab-api';
import type { StartCommand } from '../src/protocol/messages';
import { initBackend } from '../src/tf/backend';
import { createWsTransport, type SocketLike } from '../renderer/lab-api/ws-client';
import { launchBrowser, startShell } from '../test/e2e/harness';

const START: Omit<StartCommand, 'type'> = {
  sequence: 'fourrooms',
  strategy: 'ewc',
  seed: 1,
  record: false,
  config: { evalEvery: 100_000_000 },
};
const WARMUP_STEPS = 1000;

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

function parseArgs(args: string[]): { seconds: number; json: boolean } {
  const i = args.indexOf('--seconds');
  const seconds = i >= 0 ? Number(args[i + 1]) : 15;
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${args[i + 1]}`);
  return { seconds, json: args.includes('--json') };
}

async function headless(seconds: number): Promise<Speed> {
  await initBackend();
  const runner = new ContinualRunner({
    sequence: START.sequence,
    strategy: START.strategy,
    seed: START.seed,
    ...START.config,
  });
  try {
    while (runner.status().step < WARMUP_STEPS) await runner.advance(100);
    const s0 = runner.status().step;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < seconds * 1000) await runner.advance(50);
    const cpu = process.cpuUsage(c0);
    const dt = (performance.now() - t0) / 1000;
    const steps = runner.status().step - s0;
    return { steps, seconds: dt, perSec: steps / dt, perCpuSec: steps / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    runner.dispose();
  }
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

/** Trainer steps/s from status events over `seconds` after the warm-up (and the page's fps, if given). */
async function shellRun(
  seconds: number,
  withBrowser: boolean,
): Promise<{
  speed: Speed;
  fps: number | null;
  idleFps: number | null;
  renderer: string | null;
  /** Share of one core used by Chromium and by the web shell (trainer excluded) while training. */
  uiCpu: { chromium: number; shell: number } | null;
}> {
  const sessions = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-ui-'));
  const shell = await startShell(sessions);
  const browser = withBrowser ? await launchBrowser() : null;
  const { lab, socket } = await connect(shell.url);
  try {
    const samples: { t: number; step: number }[] = [];
    lab.onEvent((e) => {
      if (e.type === 'status' && e.status.running)
        samples.push({ t: performance.now(), step: e.status.step });
    });
    await lab.getInfo();
    // This connection only steers and reads status; it draws nothing.
    await lab.setView({ live: false, multiples: false, overlay: false });
    let fps: number | null = null;
    let idleFps: number | null = null;
    let renderer: string | null = null;
    const page = browser ? await browser.newPage({ viewport: { width: 1440, height: 900 } }) : null;
    if (page) {
      await page.goto(shell.url);
      await page.getByTestId('backend').waitFor();
      idleFps = await measureFps(page, 5);
    }
    await lab.setSpeed({ mode: 'max' });
    await lab.start(START);
    const warm = Date.now() + 300_000;
    while ((samples.at(-1)?.step ?? 0) < WARMUP_STEPS) {
      if (Date.now() > warm) throw new Error('the trainer did not reach the warm-up step within 5 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = trainerPid(shell.process.pid!);
    const browserPids = page ? chromiumPids() : [];
    const ui0 = { chromium: cpuSecondsOfAll(browserPids), shell: cpuSecondsOf(shell.process.pid!) ?? 0 };
    const t0 = performance.now();
    const first = samples.at(-1)!;
    const cpu0 = pid === null ? null : cpuSecondsOf(pid);
    if (page) {
      fps = await measureFps(page, seconds);
      renderer = (await page.evaluate('window.__labStats?.renderer ?? null')) as string | null;
    } else await new Promise((r) => setTimeout(r, seconds * 1000));
    const last = samples.at(-1)!;
    const cpu1 = pid === null ? null : cpuSecondsOf(pid);
    const windowSec = (performance.now() - t0) / 1000;
    const uiCpu = {
      chromium: (cpuSecondsOfAll(browserPids) - ui0.chromium) / windowSec,
      shell: ((cpuSecondsOf(shell.process.pid!) ?? 0) - ui0.shell) / windowSec,
    };
    const dt = (last.t - first.t) / 1000;
    const steps = last.step - first.step;
    await lab.reset();
    const perCpuSec = cpu0 !== null && cpu1 !== null && cpu1 > cpu0 ? steps / (cpu1 - cpu0) : null;
    return { speed: { steps, seconds: dt, perSec: steps / dt, perCpuSec }, fps, idleFps, renderer, uiCpu };
  } finally {
    socket.close();
    await browser?.close();
    await shell.stop();
    fs.rmSync(sessions, { recursive: true, force: true });
  }
}

/**
 * requestAnimationFrame callbacks per second in the page over `seconds`. The page script is a string:
 * tsx would wrap a function's inner helpers with its `__name` helper, which the page does not have.
 */
async function measureFps(page: import('playwright-core').Page, seconds: number): Promise<number> {
  const script = `new Promise((resolve) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = () => {
      frames++;
      const dt = performance.now() - t0;
      if (dt < ${seconds * 1000}) requestAnimationFrame(tick);
      else resolve((frames * 1000) / dt);
    };
    requestAnimationFrame(tick);
  })`;
  return (await page.evaluate(script)) as number;
}

export async function run(args: string[]): Promise<void> {
  const { seconds, json } = parseArgs(args);
  const load = os.loadavg()[0]!;
  const base = await headless(seconds);
  const bare = await shellRun(seconds, false);
  const ui = await shellRun(seconds, true);
  const loss = 1 - ui.speed.perSec / base.perSec;
  const cpuLoss =
    ui.speed.perCpuSec !== null && base.perCpuSec !== null ? 1 - ui.speed.perCpuSec / base.perCpuSec : null;
  const f = (n: number | null): string => (n === null ? 'n/a' : n.toFixed(1));
  const row = (name: string, x: Speed): string =>
    `${name.padEnd(38)}${f(x.perSec).padStart(7)} steps/s, ${f(x.perCpuSec).padStart(7)} per CPU-second (${x.steps} steps in ${f(x.seconds)} s)`;
  const lines = [
    `load average (1 min) at start: ${load.toFixed(1)} on ${os.cpus().length} cores`,
    row('headless trainer (in-process):', base),
    row('web shell trainer, no browser:', bare.speed),
    row('web shell trainer, Chromium watching:', ui.speed),
    `trainer loss with the UI vs headless:  ${f(loss * 100)}% wall, ${f(cpuLoss === null ? null : cpuLoss * 100)}% per CPU-second (target ≤ 10%)`,
    `UI frame rate while training at max:   ${f(ui.fps)} fps (target ≥ 55); idle page: ${f(ui.idleFps)} fps; renderer: ${ui.renderer ?? 'n/a'}`,
    `UI processes' CPU while training:      Chromium ${f(ui.uiCpu && ui.uiCpu.chromium * 100)}% of a core, web shell ${f(ui.uiCpu && ui.uiCpu.shell * 100)}% (no browser: web shell ${f(bare.uiCpu && bare.uiCpu.shell * 100)}%)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ load, headless: base, shell: bare.speed, withUi: ui.speed, loss, cpuLoss, fps: ui.fps, idleFps: ui.idleFps, renderer: ui.renderer, uiCpu: ui.uiCpu, bareShellCpu: bare.uiCpu?.shell ?? null })}\n`,
    );
  }
}
