/**
 * Pure number and time formatting for the UI (no DOM): compact step counts, signed metrics, rates,
 * durations, λ values and file names. Every number function returns '—' for a missing or non-finite value,
 * so a half-filled state never prints NaN.
 */

const DASH = '—';

function ok(v: number | undefined | null): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** 1234 → "1,234"; 1_250_000 → "1.25M"; 45_300 → "45.3k". */
export function formatSteps(v: number | undefined | null): string {
  if (!ok(v)) return DASH;
  const a = Math.abs(v);
  if (a >= 1e6) return `${trim(v / 1e6, 2)}M`;
  if (a >= 1e4) return `${trim(v / 1e3, 1)}k`;
  return Math.round(v).toLocaleString('en-US');
}

/** A score or metric with fixed decimals; `signed` adds '+' to positive values (BWT, FWT). */
export function formatMetric(
  v: number | undefined | null,
  opts: { digits?: number; signed?: boolean } = {},
): string {
  if (!ok(v)) return DASH;
  const digits = opts.digits ?? 2;
  const s = v.toFixed(digits);
  // -0.00 reads as a loss; show 0.00.
  if (Number(s) === 0) return (0).toFixed(digits);
  return opts.signed && v > 0 ? `+${s}` : s;
}

/** Steps per second: "12.3k/s", "845/s", "3.2/s". */
export function formatRate(v: number | undefined | null): string {
  if (!ok(v)) return DASH;
  if (v >= 1e4) return `${trim(v / 1e3, 1)}k/s`;
  if (v >= 100) return `${Math.round(v)}/s`;
  return `${trim(v, 1)}/s`;
}

/** Milliseconds → "0:07", "12:34", "1:02:03". */
export function formatDuration(ms: number | undefined | null): string {
  if (!ok(ms) || ms < 0) return DASH;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** λ on a log scale: 0.5 → "0.5", 400 → "400", 12_000 → "1.2e4", 0.00012 → "1.2e-4". */
export function formatLambda(v: number | undefined | null): string {
  if (!ok(v)) return DASH;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) {
    const [m, e] = v.toExponential(1).split('e');
    return `${m?.replace(/\.0$/, '')}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(3)));
}

/** Returns, which range from −500 to 500: one decimal under 100, integers above. */
export function formatReturn(v: number | undefined | null): string {
  if (!ok(v)) return DASH;
  return Math.abs(v) >= 100 ? Math.round(v).toString() : v.toFixed(1);
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/** `continual-rl-lab-2026-11-29T00-12-03-456Z.webm` */
export function videoFileName(
  now: Date,
  what?: { session: string | null; strategy: string | null; fromStep: number; toStep: number },
): string {
  if (!what) return `continual-rl-lab-${now.toISOString().replace(/[:.]/g, '-')}.webm`;
  // Session (or "live"), strategy and the env steps the video covers; only file-name-safe characters.
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  const session = safe(what.session ?? `live-${now.toISOString().replace(/[:.]/g, '-')}`);
  const strategy = what.strategy ? `-${safe(what.strategy)}` : '';
  return `${session}${strategy}-steps-${what.fromStep}-${what.toStep}.webm`;
}

/**
 * The part of each label that tells it from the others: words shared by ALL labels at the start are dropped
 * ("CartPole-v1 length=1", "CartPole-v1 length=2" → "length=1", "length=2"); labels that are still equal get
 * "#k". The full label belongs in a tooltip.
 */
export function distinguishingLabels(labels: readonly string[]): string[] {
  if (labels.length < 2) return [...labels];
  const words = labels.map((l) => l.split(/\s+/).filter(Boolean));
  let common = 0;
  const shortest = Math.min(...words.map((w) => w.length));
  while (common < shortest - 1 && words.every((w) => w[common] === words[0]![common])) common++;
  const out = words.map((w) => w.slice(common).join(' '));
  const counts = new Map<string, number>();
  for (const l of out) counts.set(l, (counts.get(l) ?? 0) + 1);
  return out.map((l, i) => (counts.get(l)! > 1 ? `${l} #${i + 1}` : l));
}

/** The session being recorded now: its folder name and the run's current env step. */
export interface LiveRecording {
  dir: string;
  step: number;
}

/**
 * The recording in progress, from the trainer's status: `sessionDir` is a path, the sessions list names
 * folders. Null when nothing is being recorded or the run is over (the list then has the final count).
 */
export function liveRecording(
  status: { recording: boolean; running: boolean; sessionDir: string | null; step: number } | null,
): LiveRecording | null {
  if (!status?.recording || !status.running || !status.sessionDir) return null;
  return { dir: status.sessionDir.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, ''), step: status.step };
}

/**
 * One line under a session's name in the list: sequence · strategy · steps · status. The session being
 * recorded shows the run's live step count and "recording" (its files, read when the list was fetched, lag
 * behind and have no run-end yet, which would read "0 steps · incomplete").
 */
export function sessionMetaLine(
  x: { dir: string; sequence?: string; strategy?: string; steps?: number; status?: string; error?: string },
  live: LiveRecording | null,
): string {
  if (x.error) return `unreadable: ${x.error}`;
  const isLive = live !== null && live.dir === x.dir && (x.status === undefined || x.status === 'incomplete');
  const steps = isLive ? Math.max(live.step, x.steps ?? 0) : x.steps;
  return [
    x.sequence,
    x.strategy,
    steps !== undefined ? `${formatSteps(steps)} steps` : null,
    isLive ? 'recording' : x.status,
  ]
    .filter(Boolean)
    .join(' · ');
}
