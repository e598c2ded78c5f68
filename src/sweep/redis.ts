/**
 * Redis for distributed sweeps: the `--redis URL` flag (redis:// or rediss:// for TLS, with an optional
 * user and password), shown only with its password masked, and the BullMQ queue's name and options. The
 * lab connects to exactly the URL given and nowhere else. Redis must not be reachable from an untrusted
 * network without a password and TLS: anyone who can write to it can queue jobs on your workers.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { UserError } from '../cli/user-error';

export const QUEUE_NAME = 'lab-sweeps';

export const redisUrlSchema = z
  .string()
  .min(1, '--redis needs a URL')
  .refine((text) => {
    try {
      const u = new URL(text);
      return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, '--redis must be a URL like redis://HOST:6379 or rediss://USER:PASSWORD@HOST:6380 (TLS)');

/** The URL with its password replaced by *** (for messages and logs). */
export function redactRedisUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * A connection for BullMQ: retries forever with a capped back-off (workers outlive a Redis restart) and
 * never fails a command because Redis is briefly away (maxRetriesPerRequest: null, as BullMQ requires).
 */
export function connectRedis(url: string, opts: { lazy?: boolean } = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: opts.lazy ?? false,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
  // Errors while Redis is away are retried; without a listener ioredis would print each one.
  client.on('error', () => undefined);
  return client;
}

/**
 * Check `url` (UserError naming what is wrong) and connect to it now, so an unreachable Redis is one clear
 * sentence (password masked) instead of endless retries; the caller disconnects.
 */
export async function connectRedisChecked(url: string): Promise<Redis> {
  const checked = redisUrlSchema.safeParse(url);
  if (!checked.success) throw new UserError(`${checked.error.issues[0]!.message}.`);
  const connection = connectRedis(url, { lazy: true });
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect();
    throw new UserError(`Cannot reach Redis at ${redactRedisUrl(url)}: ${(error as Error).message}.`);
  }
  return connection;
}

/** Job options: a few attempts with back-off for crashes; finished jobs are kept (idempotent ids, status). */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: false,
  removeOnFail: false,
} as const;

/** How long a worker's lock on a job lasts without renewal (ms); a killed worker's job stalls after this. */
export function lockDurationMs(): number {
  const v = Number(process.env.LAB_SWEEP_LOCK_MS);
  return Number.isFinite(v) && v >= 1000 ? v : 30_000;
}
