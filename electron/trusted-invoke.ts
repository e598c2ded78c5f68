/**
 * The envelope of every IPC invoke handler in main: refuse a sender that is not our own page, run the
 * handler, and turn anything it throws into an error reply (an invoke never rejects in the renderer with a
 * main-process stack). Each handler validates its own payload inside.
 */
import type { IpcMainInvokeEvent } from 'electron';
import type { IpcReply } from './ipc-contract';
import { isTrustedSender } from './security';

export const REFUSED_SENDER = 'Refused: the request did not come from the lab page.';

export async function trustedInvoke(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  handle: () => Promise<IpcReply>,
  describeError: (message: string) => string = (message) => message,
): Promise<IpcReply> {
  if (!isTrustedSender(event.senderFrame)) return { ok: false, error: REFUSED_SENDER };
  try {
    return await handle();
  } catch (error) {
    return { ok: false, error: describeError(error instanceof Error ? error.message : String(error)) };
  }
}
