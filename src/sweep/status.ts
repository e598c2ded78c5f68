/**
 * `sweep status ID`: how many jobs are done, running, failed and waiting, with each running job's
 * progress. With --redis, from the queue; otherwise from the sweep folder (results store and sessions).
 */
import { UserError } from '../cli/user-error';
import { openSession } from '../session/reader';
import { jobStatuses, openQueue, queueJobId, type JobState } from './distributed';
import { connectRedisChecked } from './redis';
import { readPlan, readResults } from './results';
import { jobSessionDir } from './spec';

export interface StatusReport {
  sweep: string;
  jobs: number;
  counts: Record<'done' | 'running' | 'failed' | 'waiting', number>;
  items: { job: string; state: string; step: number; totalSteps: number; failedReason?: string }[];
  lines: string[];
}

export async function sweepStatusReport(id: string, root: string, url?: string): Promise<StatusReport> {
  const plan = readPlan(root, id);
  if (!plan) throw new UserError(`No sweep "${id}" under ${root} (its sweep.json is missing).`);
  const items: StatusReport['items'] = [];
  if (url !== undefined) {
    const connection = await connectRedisChecked(url);
    const queue = openQueue(connection);
    try {
      const statuses = await jobStatuses(
        queue,
        plan.jobs.map((j) => queueJobId({ sweep: id, id: j.id })),
      );
      statuses.forEach((s, i) =>
        items.push({
          job: plan.jobs[i]!.id,
          state: bucket(s.state),
          step: s.step,
          totalSteps: plan.jobs[i]!.steps,
          ...(s.failedReason && s.state === 'failed' ? { failedReason: s.failedReason } : {}),
        }),
      );
    } finally {
      await queue.close();
      connection.disconnect();
    }
  } else {
    const done = new Set(readResults(root, id).map((r) => r.job));
    for (const j of plan.jobs) {
      if (done.has(j.id)) {
        items.push({ job: j.id, state: 'done', step: j.steps, totalSteps: j.steps });
        continue;
      }
      let step = 0;
      let started = false;
      try {
        const s = openSession(jobSessionDir(root, { sweep: id, id: j.id }));
        step = s.lastStep;
        started = true;
      } catch {
        // not started
      }
      // Without the queue, a started unfinished job may be running or interrupted: its session says how far.
      items.push({ job: j.id, state: started ? 'running' : 'waiting', step, totalSteps: j.steps });
    }
  }
  const counts = { done: 0, running: 0, failed: 0, waiting: 0 };
  for (const it of items) counts[it.state as keyof typeof counts] += 1;
  const lines = [
    `sweep ${id}: ${counts.done} done, ${counts.running} running, ${counts.failed} failed, ${counts.waiting} waiting (${plan.jobs.length} jobs)`,
  ];
  for (const it of items) {
    const pct = it.totalSteps ? Math.floor((100 * it.step) / it.totalSteps) : 0;
    lines.push(
      `  ${it.job.padEnd(32)} ${it.state.padEnd(8)} ${String(pct).padStart(3)}%${it.failedReason ? `  ${it.failedReason}` : ''}`,
    );
  }
  if (url === undefined && counts.running > 0) {
    lines.push(
      '(without --redis, "running" means started and not finished: running, or interrupted and resumable)',
    );
  }
  return { sweep: id, jobs: plan.jobs.length, counts, items, lines };
}

function bucket(state: JobState): 'done' | 'running' | 'failed' | 'waiting' {
  if (state === 'completed') return 'done';
  if (state === 'active') return 'running';
  if (state === 'failed') return 'failed';
  return 'waiting';
}
