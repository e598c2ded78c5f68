/**
 * ViewPublisher: what the trainer shows a UI while a run goes — the live frame (with the Q-value overlay
 * and, on gridworlds, the greedy-policy map), the small multiples, and when status/metrics are due — each
 * at its own rate, and only while a UI shows it (`set-view`). TrainerService owns the run and calls
 * `publish` after every training chunk and while idle; this file owns the gates, the policy cache and the
 * multiples player.
 */
import type { EnvSnapshot } from '../../envs/types';
import { FULL_VIEW, type LabEvent, type ViewDemand } from '../protocol/messages';
import type { Engine } from './engine';
import { MultiplesPlayer } from './multiples';
import { Throttle } from './pacer';
import { gridPolicy } from './policy-map';

/** Event rates (ms between sends). */
export const FRAME_MS = 33;
/**
 * Live frames at max speed: the same rate as the small multiples, so both usually leave in one message and
 * the page draws them in one browser frame. Tens of steps pass between two frames whatever their rate, so the
 * picture jumps anyway, and each frame costs the page CPU that the trainer wants on a machine without a GPU
 * (`npm run bench -- ui`: the trainer lost 13.3% at 15 frames/s, 7.8% at 10).
 */
export const MAX_SPEED_FRAME_MS = 100;
export const MULTIPLES_MS = 100;
export const STATUS_MS = 250;
/** Shortest interval between greedy-policy maps (they cost one forward pass per free cell). */
export const POLICY_MIN_MS = 1000;
/** The policy map may take at most this share of the trainer's time (the interval grows to keep it). */
const POLICY_TIME_SHARE = 0.02;

export interface ViewPublisherOptions {
  now: () => number;
  emit: (event: LabEvent) => void;
  /** The pacer runs at max speed (frames then go at MAX_SPEED_FRAME_MS). */
  maxSpeed: () => boolean;
  /** Status (and metrics when dirty) are due now. */
  onStatusDue: (engine: Engine) => void;
}

export type PublishMode = 'force' | 'running' | 'idle';

export class ViewPublisher {
  /** What the UI shows (frames and multiples are skipped when nobody sees them). */
  private view: ViewDemand = FULL_VIEW;
  /** A frame is due at the next publish whatever the mode (the live view just came into view). */
  private frameWanted = false;
  /** Kind of env in the last live frame (sets the real-time pace). */
  private frameKind: EnvSnapshot['kind'] = 'CartPole';
  private multiples: MultiplesPlayer | null = null;
  /** Next time a gridworld frame carries the greedy-policy map, and the map sent with later frames. */
  private policyDueAt = 0;
  /** The last greedy-policy map; it depends on the task and, on maps with a key, on holding it. */
  private policyCache: { task: number; hasKey: boolean; policy: number[] } | null = null;
  private readonly frameGate = new Throttle(FRAME_MS);
  private readonly multiplesGate = new Throttle(MULTIPLES_MS);
  private readonly statusGate = new Throttle(STATUS_MS);

  constructor(private readonly opts: ViewPublisherOptions) {}

  /** Kind of env last drawn (the pacer's real-time rate; asking the engine would cost a forward pass). */
  get lastFrameKind(): EnvSnapshot['kind'] {
    return this.frameKind;
  }

  /** A run begins: multiples of its tasks, gates reset. */
  attach(engine: Engine): void {
    this.multiples = new MultiplesPlayer(engine);
    this.frameGate.reset();
    this.multiplesGate.reset();
  }

  /** The run is gone. */
  detach(): void {
    this.multiples = null;
    this.policyCache = null;
  }

  /** The next running publish sends a frame (e.g. after a manual switch). */
  resetFrameGate(): void {
    this.frameGate.reset();
  }

  /** Task `task`'s env changed: its small multiple restarts and the policy map is recomputed. */
  taskChanged(task: number): void {
    this.multiples?.refresh(task);
    this.policyCache = null;
  }

  setView(view: ViewDemand): void {
    const was = this.view;
    this.view = view;
    // Something came into view: show it now rather than at the next gate (also while paused).
    if ((view.live && !was.live) || (view.overlay && !was.overlay)) this.frameWanted = true;
    if (view.multiples && !was.multiples) this.multiplesGate.reset();
  }

  /**
   * Frame, multiples, status and metrics, each at its own rate; `force` sends all now; `idle` (paused or
   * finished) only plays the small multiples, the live frame does not change.
   */
  publish(engine: Engine, mode: PublishMode): void {
    const now = this.opts.now();
    const force = mode === 'force';
    const { live, multiples, overlay } = this.view;
    const frameInterval = this.opts.maxSpeed() ? MAX_SPEED_FRAME_MS : FRAME_MS;
    if (
      live &&
      (force || this.frameWanted || (mode === 'running' && this.frameGate.due(now, frameInterval)))
    ) {
      this.frameWanted = false;
      const frame = engine.liveFrame(overlay);
      if (frame) {
        this.frameKind = frame.snapshot.kind;
        const policy = overlay ? this.policyFor(engine, frame.task, frame.snapshot, now, force) : undefined;
        this.opts.emit({
          type: 'frame',
          step: engine.status().step,
          task: frame.task,
          snapshot: frame.snapshot,
          ...(overlay && frame.qValues ? { qValues: Array.from(frame.qValues) } : {}),
          ...(policy ? { policy } : {}),
        });
      }
    }
    if (this.multiples && multiples && (force || this.multiplesGate.due(now))) {
      this.opts.emit({
        type: 'multiples',
        step: engine.status().step,
        frames: force ? this.multiples.frames() : this.multiples.tick(),
      });
    }
    if (force || this.statusGate.due(now)) {
      // Nobody watches the live view: still learn which kind of env is trained (it sets the real-time pace).
      if (!live) this.frameKind = engine.liveFrame(false)?.snapshot.kind ?? this.frameKind;
      this.opts.onStatusDue(engine);
    }
  }

  /** The greedy-policy map for a gridworld frame: recomputed at most every POLICY_MIN_MS (adaptive), else cached. */
  private policyFor(
    engine: Engine,
    task: number,
    snapshot: EnvSnapshot,
    now: number,
    force: boolean,
  ): number[] | undefined {
    if (snapshot.kind !== 'Gridworld') return undefined;
    const c = this.policyCache;
    const cached = c && c.task === task && c.hasKey === snapshot.hasKey ? c.policy : undefined;
    if (!force && now < this.policyDueAt && cached) return cached;
    const t0 = this.opts.now();
    const policy = gridPolicy(snapshot, engine.observationSize(task), (obs) =>
      engine.greedyAction(obs, task),
    );
    const spent = this.opts.now() - t0;
    this.policyDueAt = now + Math.max(POLICY_MIN_MS, spent / POLICY_TIME_SHARE);
    if (!policy) return undefined;
    this.policyCache = { task, hasKey: snapshot.hasKey, policy };
    return policy;
  }
}
