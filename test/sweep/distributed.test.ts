// Distributed sweeps on a real redis-server and real BullMQ (no mocks): two workers as child processes run
// a 6-job sweep; one worker is killed with kill -9 mid-job and its job is resumed by the other worker from
// the run's last checkpoint, ending with the same numbers as a clean run; a second sweep survives a Redis
// restart. A job that cannot succeed fails once with its message. redis-server missing: skipped outside CI
// (named in npm test's summary, test/support/requirements.ts), a failure under CI=true.
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/session/reader';
import { REDIS, requireTool } from '../support/requirements';
import { connectRedis, QUEUE_NAME } from '../../src/sweep/redis';
import { readResults, type SweepRunResult } from '../../src/sweep/results';
import {
  countEventLines,
  freePort,
  RedisServer,
  sleep,
  startCli,
  stopCli,
  tempDir,
  tinySweepSpec,
  waitFor,
  type CliProcess,
} from './harness';

const REDIS_BIN = requireTool(REDIS, 'test/sweep/distributed.test.ts', it);

interface SweepJson {
  sweep: string;
  jobs: number;
  completed: number;
  failed: number;
  results: (Omit<SweepRunResult, 'curves' | 'labels'> & { session: string })[];
}

if (REDIS_BIN) {
  const work = tempDir('lab-sweep-redis-');
  const processes: CliProcess[] = [];
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => stopCli(p, 3000)));
    for (const s of servers) await s.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  function worker(url: string, lockMs: number): CliProcess {
    const p = startCli(['worker', '--redis', url, '--jobs', '1'], { LAB_SWEEP_LOCK_MS: String(lockMs) });
    processes.push(p);
    return p;
  }

  function submit(spec: unknown, name: string, root: string, url: string): CliProcess {
    const file = path.join(work, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(spec));
    const p = startCli(['sweep', 'run', file, '--redis', url, '--out', root, '--json']);
    processes.push(p);
    return p;
  }

  async function finished(p: CliProcess): Promise<SweepJson> {
    const r = await p.done;
    expect(r.code, p.output()).toBe(0);
    const lines = p.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0]!) as SweepJson;
  }

  describe('distributed sweeps (redis-server)', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = new RedisServer(REDIS_BIN, await freePort());
      servers.push(redis);
      await redis.start();
    });

    it(
      'a worker killed with kill -9 mid-job: the job resumes elsewhere and ends as a clean run does',
      { timeout: 240_000 },
      async () => {
        const root = path.join(work, 'kill');
        // Jobs long enough (4,000 env steps) that the kill lands mid-job even on the fast wasm update: a job is
        // chosen while ≥ 1,500 of its steps remain.
        const spec = tinySweepSpec({ stepsPerTask: 2000, checkpointEvery: 300, seeds: 3 });
        const w1 = worker(redis.url, 3000);
        const w2 = worker(redis.url, 3000);
        const sweep = submit(spec, 'kill-spec', root, redis.url);

        // Find a job that has checkpointed but not finished, and the worker running it.
        const victim = await waitFor(
          'a running job with a checkpoint',
          () => {
            for (const w of [w1, w2]) {
              const started = [...w.output().matchAll(/(\S+)\/(\S+): started \(attempt/gu)];
              const last = started.at(-1);
              if (!last) continue;
              const [, sweepId, jobId] = last;
              if (w.output().includes(`${sweepId}/${jobId}: done`)) continue;
              const dir = path.join(root, sweepId!, 'runs', jobId!);
              try {
                const s = openSession(dir);
                if (!s.complete && s.checkpoints.length >= 1 && s.lastStep < 2500)
                  return { w, sweepId: sweepId!, jobId: jobId!, dir };
              } catch {
                // not recorded yet
              }
            }
            return undefined;
          },
          120_000,
        );
        victim.w.child.kill('SIGKILL');
        await victim.w.done;

        const out = await finished(sweep);
        expect(out.jobs).toBe(6);
        expect(out.completed).toBe(6);
        expect(out.failed).toBe(0);
        const other = victim.w === w1 ? w2 : w1;
        expect(other.output()).toMatch(new RegExp(`${victim.jobId}: resuming from step [1-9]`, 'u'));

        // Every job: exactly one run-end in its session; the results store holds each job once.
        const stored = readResults(root, out.sweep);
        expect(stored.map((r) => r.job).sort()).toEqual(out.results.map((r) => r.job).sort());
        for (const r of out.results)
          expect(countEventLines(path.join(root, out.sweep, r.session), 'run-end')).toBe(1);
        const killed = stored.find((r) => r.job === victim.jobId)!;
        expect(killed.resumed).toBe(true);

        // The same job run cleanly (embedded, one process, never interrupted) ends with the same numbers.
        const cleanRoot = path.join(work, 'clean');
        const [, strategy, seed] = /^(.+)-s(\d+)$/u.exec(victim.jobId)!;
        const cleanSpec = { ...spec, strategies: [strategy!], seeds: [Number(seed)] };
        const cleanFile = path.join(work, 'clean-spec.json');
        fs.writeFileSync(cleanFile, JSON.stringify(cleanSpec));
        const clean = startCli(['sweep', 'run', cleanFile, '--out', cleanRoot, '--jobs', '1', '--json']);
        processes.push(clean);
        const cleanOut = await finished(clean);
        const cleanResult = readResults(cleanRoot, cleanOut.sweep)[0]!;
        expect(cleanResult.resumed).toBe(false);
        for (const key of [
          'acc',
          'forgetting',
          'bwt',
          'fwt',
          'auc',
          'matrix',
          'envSteps',
          'curves',
        ] as const) {
          expect(killed[key], key).toEqual(cleanResult[key]);
        }

        // Submitting the same sweep again adds nothing and returns the same summary at once.
        const again = submit(spec, 'kill-spec-again', root, redis.url);
        const againOut = await finished(again);
        expect(again.output()).toMatch(/\(0 new, 6 already queued or done\)/u);
        expect(againOut.results.map((r) => r.acc)).toEqual(out.results.map((r) => r.acc));
        await stopCli(other);
      },
    );

    it('a job that cannot succeed fails once with its message', { timeout: 60_000 }, async () => {
      const w = worker(redis.url, 3000);
      const connection = connectRedis(redis.url);
      const queue = new Queue(QUEUE_NAME, { connection });
      const job = await queue.add(
        'bad',
        {
          root: path.join(work, 'bad'),
          job: {
            id: 'finetune-s0',
            sweep: 'bad-0000000000',
            index: 0,
            sequence: 'bad',
            strategy: 'finetune',
            seed: 0,
            lambda: null,
            steps: 10,
            checkpointEvery: 0,
            config: {
              sequence: { name: 'bad', tasks: [{ env: 'NoSuchEnv-v9', steps: 10 }] },
              strategy: 'finetune',
            },
          },
        },
        { attempts: 5, backoff: { type: 'fixed', delay: 100 } },
      );
      const state = await waitFor(
        'the bad job to fail',
        () => (w.output().includes('failed:') ? true : undefined),
        45_000,
      );
      expect(state).toBe(true);
      await sleep(500);
      const after = (await queue.getJob(job.id!))!;
      expect(await after.getState()).toBe('failed');
      expect(after.attemptsMade).toBe(1);
      expect(after.failedReason).toMatch(/unknown environment "NoSuchEnv-v9"/u);
      await queue.close();
      connection.disconnect();
      await stopCli(w);
    });
  });

  describe('distributed sweeps across a Redis restart', () => {
    it('workers reconnect; nothing is lost or run twice to completion', { timeout: 240_000 }, async () => {
      const dataDir = path.join(work, 'redis-data');
      fs.mkdirSync(dataDir);
      const redis = new RedisServer(REDIS_BIN, await freePort(), dataDir);
      servers.push(redis);
      await redis.start();
      const root = path.join(work, 'restart');
      // 3,000-step jobs so the restart lands while jobs run (400-step jobs ended within the restart window on
      // the fast wasm update).
      const spec = tinySweepSpec({ stepsPerTask: 1500, checkpointEvery: 300, seeds: 3 });
      worker(redis.url, 15_000);
      worker(redis.url, 15_000);
      const sweep = submit(spec, 'restart-spec', root, redis.url);

      // Restart Redis once a job has finished and others are running.
      await waitFor('a finished job', () => (sweep.output().includes(': ACC ') ? true : undefined), 150_000);
      await redis.stop();
      await sleep(1500);
      await redis.start();

      const out = await finished(sweep);
      expect(out.completed).toBe(6);
      expect(out.failed).toBe(0);
      const stored = readResults(root, out.sweep);
      expect(stored).toHaveLength(6);
      for (const r of stored)
        expect(countEventLines(path.join(root, out.sweep, r.session), 'run-end')).toBe(1);
    });
  });
} else {
  // Recorded for npm test's summary by requireTool; a skipped placeholder keeps the file from failing empty.
  describe.skip('distributed sweeps (redis-server is not installed)', () => {
    it('needs redis-server', () => undefined);
  });
}
