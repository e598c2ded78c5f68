/**
 * An error caused by the user's input (a bad flag, file or session). The CLI prints its message as one
 * clear sentence and exits with code 2, without a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Turn a zod error into one readable sentence naming each offending field. */
export function describeZodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  subject: string,
): string {
  const parts = issues.map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : subject;
    return `${where}: ${issue.message}`;
  });
  return `Invalid ${subject}: ${parts.join('; ')}.`;
}
