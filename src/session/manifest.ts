/**
 * session.json: the manifest of a recorded session (format version 1, docs/SESSION_FORMAT.md).
 * Written when the run starts and rewritten atomically (temp file + rename) when it changes: on resume and
 * at run end. The event log is the source of truth; the manifest says what the run is and how it was set up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../fs/write-file-atomic';
import { SessionError } from './errors';
import {
  backendChoiceSchema,
  namedSchema,
  sessionRelativePathSchema,
  type RecordedBackendChoice,
} from './events';
import { describeIssues, parseJsonSafe } from './safe-json';
import { MANIFEST_FILE } from './paths';

/** The session format this build writes and reads. */
export const SESSION_FORMAT_VERSION = 1;

/** Largest session.json accepted (a manifest is a few kB; anything near this is not ours). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

const isoDate = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

export const sessionManifestSchema = z.object({
  formatVersion: z.literal(SESSION_FORMAT_VERSION),
  /** Version of the lab that recorded the session (package.json `version`). */
  appVersion: z.string().max(64),
  /** When the run started (ISO 8601, UTC). */
  createdAt: isoDate,
  /** The full resolved RunConfig. */
  config: z.record(z.string(), z.unknown()),
  sequence: namedSchema,
  strategy: namedSchema,
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  backend: backendChoiceSchema,
  /** One sentence: which backend and why (forced, or which rungs were skipped and why). */
  backendWhy: z.string().max(4000),
  host: z
    .object({ node: z.string().max(64), platform: z.string().max(64), arch: z.string().max(64) })
    .optional(),
  /** One entry per `run --resume` of this session, oldest first. */
  resumes: z
    .array(
      z.object({
        at: isoDate,
        step: z.number().int().min(0),
        checkpoint: sessionRelativePathSchema.nullable(),
        backend: backendChoiceSchema.optional(),
      }),
    )
    .max(10_000)
    .default([]),
  /** Set when the run ended normally (finished or stopped); absent while running or after a crash. */
  ended: z
    .object({ at: isoDate, step: z.number().int().min(0), reason: z.enum(['finished', 'stopped', 'error']) })
    .optional(),
});
export type SessionManifest = z.infer<typeof sessionManifestSchema>;

/** One sentence saying which backend was used and why. */
export function describeBackendChoice(choice: RecordedBackendChoice): string {
  if (choice.forced) return `${choice.backend} (forced by LAB_BACKEND or an option).`;
  if (choice.skipped.length === 0) return `${choice.backend} (the first rung of the ladder loaded).`;
  const skipped = choice.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  return `${choice.backend} (skipped ${skipped}).`;
}

/** Write the manifest of the session in `dir` atomically. */
export function writeManifest(dir: string, manifest: SessionManifest): void {
  writeFileAtomicSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Read and validate `<dir>/session.json`; throws SessionError naming the file and the problem. */
export function readManifest(dir: string): SessionManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file); // a symlink could point anywhere: not accepted
  } catch {
    throw new SessionError(`${file} does not exist, so ${dir} is not a recorded session.`, { file });
  }
  if (!stat.isFile())
    throw new SessionError(`${file} is not a regular file (symbolic links are not accepted).`, { file });
  if (stat.size > MAX_MANIFEST_BYTES) {
    throw new SessionError(
      `${file} is ${stat.size} bytes, larger than the ${MAX_MANIFEST_BYTES}-byte limit.`,
      { file },
    );
  }
  const text = fs.readFileSync(file, 'utf8');
  const parsed = parseJsonSafe(text);
  if (!parsed.ok) throw new SessionError(`${file} is not valid JSON (${parsed.reason}).`, { file });
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionError(`${file} must contain a JSON object.`, { file });
  }
  const version = (value as Record<string, unknown>).formatVersion;
  if (version !== SESSION_FORMAT_VERSION) {
    throw new SessionError(
      `${file} has formatVersion ${(JSON.stringify(version) ?? 'missing').slice(0, 40)}, but this build reads version ${SESSION_FORMAT_VERSION}.`,
      { file },
    );
  }
  const result = sessionManifestSchema.safeParse(value);
  if (!result.success) throw new SessionError(`${file}: ${describeIssues(result.error.issues)}.`, { file });
  return result.data;
}
