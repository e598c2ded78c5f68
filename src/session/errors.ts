/**
 * SessionError: the one error type the session reader, resume and re-simulation throw for a session that
 * cannot be used (missing, truncated, garbage, wrong version, hostile paths). Its message is one sentence
 * naming the file (and line) and what is wrong, fit to print as is; the CLI never shows a stack for it.
 */
export class SessionError extends Error {
  /** The file the problem is in (absolute or as given), when there is one. */
  readonly file: string | undefined;
  /** 1-based line number inside `file`, when the problem is on one line. */
  readonly line: number | undefined;

  constructor(message: string, opts: { file?: string; line?: number; cause?: unknown } = {}) {
    super(oneSentence(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SessionError';
    this.file = opts.file;
    this.line = opts.line;
  }
}

/** True for a SessionError (also across module copies, e.g. a bundled and an unbundled one). */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError || (error instanceof Error && error.name === 'SessionError');
}

/** Longest message kept (hostile files can make parser messages huge). */
const MAX_MESSAGE = 600;

/** Control characters (newlines, raw bytes from a corrupt file) become spaces; long messages are cut. */
function oneSentence(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}
