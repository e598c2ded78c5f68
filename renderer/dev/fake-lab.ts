/**
 * The demo's simulated trainer (web shell URL + `&demo=1`; the header shows a DEMO badge): a LabApi that
 * runs the real environments from envs/ with hand-written policies and emits plausible events at the real
 * shells' rates: status ~4/s, frames ~30/s, multiples ~10/s, evaluations with a forgetting curve, task
 * switches, a session list and session playback. Its envs, strategies and sequences are the real trainer's
 * (`realInfo`, from the real registries), and its run-start states its resolved run like the engine's, so
 * every view reads it exactly as it reads a real run. Never used in production paths.
 */
import { makeEnv } from '../../envs/index';
import { Rng } from '../../envs/rng';
import type { Env } from '../../envs/types';
import type { LabApi, LabEventListener, StartOptions } from '../../src/protocol/lab-api';
import type {
  LabEvent,
  LabInfo,
  PlaybackFrame,
  SequenceRef,
  SessionOpened,
  Speed,
  TaskSpec,
} from '../../src/protocol/messages';
import type { RunEvent } from '../../src/session/events';
import { gridPolicy, heuristicAction } from './fake-policy';
import { DEMO_SWEEP_SUMMARY, demoSweepDetail } from './fake-sweep';
import { downloadFile } from '../lab-api/download';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

const BACKEND = {
  backend: 'wasm',
  forced: false,
  skipped: [{ backend: 'tensorflow', reason: 'tfjs-node not installed' }],
  details: { simd: true },
  tfjsVersion: '4.22.0',
};

interface Live {
  tasks: TaskSpec[];
  envs: Env[];
  obs: Float32Array[];
  returns: number[];
  lastReturns: (number | null)[];
  stage: number;
  taskStart: number;
  step: number;
  t0: number;
  paused: boolean;
  strategy: string;
  lambda: number;
  scores: number[];
  matrix: (number | null)[][];
  events: RunEvent[];
}

export function createFakeLab(realInfo: () => Promise<LabInfo>): LabApi {
  const info = realInfo();
  let sequences: LabInfo['sequences'] = [];
  void info.then((i) => (sequences = i.sequences)).catch(() => undefined);
  const listeners = new Set<LabEventListener>();
  const rng = new Rng(7);
  let speed: Speed = { mode: 'max' };
  let live: Live | null = null;
  const timers: ReturnType<typeof setInterval>[] = [];
  let policy: number[] | null = null;
  let frameCount = 0;
  const sessions: SessionOpened[] = [];

  // Listeners get a copy, as over IPC/WebSocket (the store freezes what it keeps).
  const emit = (e: LabEvent): void => {
    const copy = structuredClone(e);
    for (const l of [...listeners]) l(copy);
  };
  const runEvent = (e: RunEvent): void => {
    live?.events.push(e);
    emit({ type: 'run-event', event: e });
  };
  const tasksOf = (ref: SequenceRef): TaskSpec[] =>
    typeof ref === 'string' ? (sequences.find((s) => s.name === ref) ?? sequences[0]!).tasks : ref.tasks;
  const elapsed = (): number => (live ? performance.now() - live.t0 : 0);
  const label = (i: number): string => live?.tasks[i]?.label ?? live?.tasks[i]?.env ?? `task ${i + 1}`;

  const status = (): void => {
    emit({
      type: 'status',
      status: {
        step: live?.step ?? 0,
        taskIndex: live?.stage ?? 0,
        label: live ? label(live.stage) : '',
        epsilon: live ? Math.max(0.05, 1 - (live.step - live.taskStart) / 5000) : 1,
        stepsPerSec: live && !live.paused ? 2400 + rng.normal() * 60 : 0,
        running: live !== null,
        paused: live?.paused ?? false,
        done: false,
        recording: live !== null,
        sessionDir: live ? 'demo-session' : null,
        speed,
        playbackDir: null,
      },
    });
  };

  const startTask = (i: number, source: 'scheduled' | 'manual'): void => {
    if (!live) return;
    const from = live.stage;
    live.stage = i;
    live.taskStart = live.step;
    const t = live.tasks[i]!;
    runEvent({
      type: 'task-start',
      step: live.step,
      t: elapsed(),
      task: i,
      label: label(i),
      envId: t.env,
      params: t.params ?? {},
      source,
      ...(live.events.some((e) => e.type === 'task-start') ? { from } : {}),
    });
  };

  const evaluate = (): void => {
    if (!live) return;
    const l = live;
    l.tasks.forEach((t, i) => {
      const training = i === l.stage;
      const target = training ? 0.95 : l.strategy === 'finetune' ? 0.05 : 0.85;
      const rate = training ? 0.25 : l.strategy === 'finetune' ? 0.35 : 0.03;
      l.scores[i] = l.scores[i]! + (target - l.scores[i]!) * rate + rng.normal() * 0.03;
      runEvent({
        type: 'eval',
        step: l.step,
        t: elapsed(),
        task: i,
        mean: l.scores[i]! * 100,
        normalized: l.scores[i]!,
        episodes: 5,
        returns: [],
      });
      void t;
    });
  };

  const tick = (): void => {
    if (!live || live.paused) return;
    const l = live;
    const before = l.step;
    l.step += 80;
    // Advance each env one real step so the views move naturally.
    l.envs.forEach((env, i) => {
      const skill = i === l.stage ? 0.9 : 0.8;
      const r = env.step(heuristicAction(env, l.obs[i]!, skill, rng));
      l.obs[i] = r.observation.slice();
      l.returns[i]! += r.reward;
      if (r.terminated || r.truncated) {
        if (i === l.stage)
          runEvent({
            type: 'episode',
            step: l.step,
            t: elapsed(),
            task: i,
            episode: 0,
            return: l.returns[i]!,
            length: 1,
          });
        l.lastReturns[i] = l.returns[i]!;
        l.returns[i] = 0;
        l.obs[i] = env.reset(rng.integer(1e6)).observation.slice();
      }
    });
    if (Math.floor(l.step / 1000) > Math.floor(before / 1000)) evaluate();
    const budget = l.tasks[l.stage]!.steps;
    if (l.step - l.taskStart >= budget / 2) {
      const row = l.scores.map((s) => s);
      l.matrix[l.stage] = row;
      runEvent({ type: 'task-end', step: l.step, t: elapsed(), task: l.stage, matrixRow: row });
      startTask((l.stage + 1) % l.tasks.length, 'scheduled');
    }
    const env = l.envs[l.stage]!;
    const snap = env.snapshot();
    const q = Array.from({ length: env.actionCount }, (_, a) => 0.5 + 0.1 * a + rng.normal() * 0.05);
    // The greedy policy changes slowly; recompute it every 10th frame like a trainer would.
    if (snap.kind === 'Gridworld' && (policy === null || ++frameCount % 10 === 0))
      policy = gridPolicy(snap, rng);
    if (snap.kind !== 'Gridworld') policy = null;
    emit({
      type: 'frame',
      step: l.step,
      task: l.stage,
      snapshot: snap,
      qValues: q,
      ...(policy ? { policy } : {}),
    });
  };

  const multiples = (): void => {
    if (!live) return;
    const l = live;
    emit({
      type: 'multiples',
      step: l.step,
      frames: l.envs.map((env, i) => ({
        task: i,
        label: label(i),
        snapshot: env.snapshot(),
        episodeReturn: l.returns[i]!,
        lastReturn: l.lastReturns[i] ?? null,
      })),
    });
  };

  const ensureTimers = (): void => {
    if (timers.length > 0) return;
    timers.push(setInterval(tick, 33), setInterval(multiples, 100), setInterval(status, 250));
  };

  const ok = async (): Promise<null> => null;

  const api: LabApi = {
    platform: 'web',
    async start(options: StartOptions) {
      const tasks = tasksOf(options.sequence);
      const envs = tasks.map((t) => makeEnv(t.env, t.params));
      live = {
        tasks,
        envs,
        obs: envs.map((e, i) => e.reset(options.seed + i).observation.slice()),
        returns: tasks.map(() => 0),
        lastReturns: tasks.map(() => null),
        stage: 0,
        taskStart: 0,
        step: 0,
        t0: performance.now(),
        paused: false,
        strategy: options.strategy,
        lambda: options.lambda ?? 0,
        scores: tasks.map(() => 0.02),
        matrix: [],
        events: [],
      };
      runEvent({
        type: 'run-start',
        step: 0,
        t: 0,
        config: {},
        sequence: 'demo',
        strategy: options.strategy,
        seed: options.seed,
        backend: BACKEND,
        // The demo's "engine" trains each listed entry as its own task.
        run: {
          sequence:
            typeof options.sequence === 'string' ? options.sequence : (options.sequence.name ?? 'demo'),
          tasks: tasks.map((t, index) => ({
            index,
            envId: t.env,
            label: t.label ?? t.env,
            params: t.params ?? {},
            givenParams: t.params ?? {},
          })),
          stages: tasks.map((t, task) => ({ task, steps: Math.round(t.steps / 2) })),
          strategy: {
            name: options.strategy,
            params: options.lambda === undefined ? {} : { lambda: options.lambda },
          },
          seed: options.seed,
          backend: BACKEND.backend,
        },
      });
      startTask(0, 'scheduled');
      ensureTimers();
      status();
      return { sessionDir: options.record ? 'demo-session' : null };
    },
    async pause() {
      if (live) live.paused = true;
      status();
      return null;
    },
    async resume() {
      if (live) live.paused = false;
      status();
      return null;
    },
    async step() {
      if (live) {
        live.paused = false;
        tick();
        live.paused = true;
      }
      status();
      return null;
    },
    async reset() {
      if (live) {
        runEvent({ type: 'run-end', step: live.step, t: elapsed(), metrics: {}, reason: 'stopped' });
        sessions.push(toSession(live));
      }
      live = null;
      status();
      return null;
    },
    async switchTask(index: number) {
      if (!live || index >= live.tasks.length) throw new Error(`No task ${index + 1} in this run.`);
      startTask(index, 'manual');
      return null;
    },
    async setSpeed(s: Speed) {
      speed = s;
      status();
      return null;
    },
    async setStrategy(name: string, lambda?: number) {
      if (live && name !== live.strategy)
        throw new Error(
          `The strategy of a run is fixed (${live.strategy}); reset and start again to use ${name}.`,
        );
      if (live && lambda !== undefined) live.lambda = lambda;
      return null;
    },
    async setLambda(value: number) {
      if (live) {
        live.lambda = value;
        runEvent({ type: 'param-change', step: live.step, t: elapsed(), what: 'strategy.lambda', value });
      }
      return null;
    },
    setEnvParams: ok,
    marker: ok,
    async listSessions() {
      const list = sessions.map((s) => ({
        dir: s.dir,
        sequence: 'demo',
        strategy: 'ewc',
        steps: s.lastStep,
        status: 'stopped',
        createdAt: new Date().toISOString(),
      }));
      emit({ type: 'session-list', sessions: list });
      return list;
    },
    async openSession(dir: string) {
      const s = sessions.find((x) => x.dir === dir);
      if (!s) throw new Error(`No session "${dir}".`);
      return s;
    },
    async playbackSeek(step: number): Promise<PlaybackFrame> {
      const env = makeEnv('CartPole-v1');
      let obs = env.reset(step).observation;
      const snapshots = [env.snapshot()];
      for (let i = 0; i < 200; i++) {
        const r = env.step(heuristicAction(env, obs, 0.95, rng));
        obs = r.observation;
        snapshots.push(env.snapshot());
        if (r.terminated || r.truncated) break;
      }
      return { step, episodeStep: step, task: 0, label: 'CartPole', snapshots, return: snapshots.length - 1 };
    },
    async resumeSession() {
      throw new Error('The demo lab cannot resume sessions.');
    },
    async exportSession(dir: string, format: 'csv' | 'json') {
      if (format === 'json') {
        return {
          name: `${dir}.json`,
          files: [{ name: `${dir}.json`, mime: 'application/json', text: '{"demo":true}\n' }],
        };
      }
      // Several CSV tables, like the real trainer's export, so the UI zips them.
      const csv = (name: string) => ({ name, mime: 'text/csv', text: 'step,value\n0,0\n' });
      return { name: `${dir}-csv.zip`, files: [csv('episodes.csv'), csv('evaluations.csv')] };
    },
    setView: ok,
    saveFile: downloadFile,
    async getRun() {
      if (live && live.events.length > 0) emit({ type: 'run-restored', events: live.events });
      return null;
    },
    async getInfo(): Promise<LabInfo> {
      // The real trainer's registries (envs, strategies, sequences); only the backend is the demo's.
      return { ...(await info), backend: BACKEND, sessionsRoot: '/demo/sessions' };
    },
    restartTrainer: ok,
    async listSweeps() {
      return [DEMO_SWEEP_SUMMARY];
    },
    async getSweep(id: string) {
      if (id !== DEMO_SWEEP_SUMMARY.id) throw new Error(`No sweep "${id}".`);
      return demoSweepDetail();
    },
    async openSweepRun() {
      throw new Error('The demo lab has no recorded sweep runs to play back.');
    },
    onEvent(listener: LabEventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  setTimeout(
    () => emit({ type: 'ready', protocol: PROTOCOL_VERSION, backend: BACKEND, versions: { app: '0.1.0' } }),
    50,
  );
  return api;
}

function toSession(l: Live): SessionOpened {
  return {
    dir: `demo-${l.events.length}`,
    tasks: l.tasks.map((t) => ({ label: t.label ?? t.env, envId: t.env })),
    lastStep: l.step,
    events: l.events,
    episodeSteps: l.events.filter((e) => e.type === 'eval').map((e) => e.step),
    warnings: [],
  };
}
