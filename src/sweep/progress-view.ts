/**
 * Sweep progress on stderr (cli-progress): one bar per running job and an overall bar over the sweep's env
 * steps with the jobs finished and an ETA. Used by the embedded runner and by `sweep run --redis` while it
 * waits. Without a terminal it prints a plain line every few seconds instead of redrawing.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Seconds between plain-text progress lines when stderr is not a terminal. */
const NOT_TTY_MS = 5000;

export class SweepProgressView {
  private readonly multi: MultiBar;
  private readonly overall: SingleBar;
  private readonly bars = new Map<string, { bar: SingleBar; step: number }>();
  private stepsDone: number;
  private jobsDone: number;
  private jobsFailed = 0;

  constructor(
    private readonly totalJobs: number,
    totalSteps: number,
    doneJobs: number,
    doneSteps: number,
  ) {
    this.multi = new MultiBar(
      {
        stream: process.stderr,
        format: ' {label} |{bar}| {percentage}% {info}',
        hideCursor: true,
        clearOnComplete: false,
        noTTYOutput: true,
        notTTYSchedule: NOT_TTY_MS,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    this.stepsDone = doneSteps;
    this.jobsDone = doneJobs;
    this.overall = this.multi.create(
      Math.max(1, totalSteps),
      doneSteps,
      { label: 'sweep'.padEnd(28), info: '' },
      { format: ' {label} |{bar}| {percentage}% {info}, ETA {eta_formatted}' },
    );
    this.refresh();
  }

  jobStarted(id: string, totalSteps: number, fromStep = 0): void {
    const bar = this.multi.create(Math.max(1, totalSteps), fromStep, {
      label: id.padEnd(28).slice(0, 28),
      info: '',
    });
    this.bars.set(id, { bar, step: fromStep });
    this.stepsDone += fromStep;
    this.refresh();
  }

  jobProgress(id: string, step: number): void {
    const entry = this.bars.get(id);
    if (!entry) return;
    this.stepsDone += Math.max(0, step - entry.step);
    entry.step = Math.max(entry.step, step);
    entry.bar.update(entry.step);
    this.refresh();
  }

  jobEnded(id: string, ok: boolean, totalSteps: number, note = ''): void {
    const entry = this.bars.get(id);
    if (entry) {
      if (ok) this.stepsDone += Math.max(0, totalSteps - entry.step);
      this.multi.remove(entry.bar);
      this.bars.delete(id);
    } else if (ok) {
      this.stepsDone += totalSteps;
    }
    if (ok) this.jobsDone += 1;
    else this.jobsFailed += 1;
    if (note) this.multi.log(`${note}\n`);
    this.refresh();
  }

  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  stop(): void {
    this.multi.stop();
  }

  private refresh(): void {
    const failed = this.jobsFailed ? `, ${this.jobsFailed} failed` : '';
    this.overall.update(this.stepsDone, {
      info: `${this.jobsDone}/${this.totalJobs} jobs done${failed}, ${this.bars.size} running`,
    });
  }
}
