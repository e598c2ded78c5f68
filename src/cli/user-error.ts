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
