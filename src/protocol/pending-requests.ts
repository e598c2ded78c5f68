/**
 * Request/reply correlation, the one copy: the UI host's TrainerHost (src/trainer/host.ts) and the web
 * page's WebSocket client (renderer/lab-api/ws-client.ts) both number their requests, keep a resolver per
 * id, route each `reply` to it, and fail everything still waiting when the other side goes away. Pure (no
 * Node or DOM), so both sides use it; results are validated by the caller (`parseResult`).
 */
import type { CommandType, ReplyMessage } from './messages';

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class PendingRequests {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  /** Requests still waiting for their reply. */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * Number a new request of `type`; `reply` settles with the reply's raw result (rejects with its error,
   * or after `timeoutMs` with a message naming the command). Register before sending it.
   */
  open(type: CommandType, timeoutMs?: number): { id: number; reply: Promise<unknown> } {
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiting.delete(id);
          reject(new Error(`The trainer did not answer "${type}" within ${Math.round(timeoutMs / 1000)} s.`));
        }, timeoutMs);
        (timer as { unref?: () => void }).unref?.();
      }
      this.waiting.set(id, { resolve, reject, timer });
    });
    return { id, reply };
  }

  /** Route a reply to its request; false when no request waits for this id (the caller reports it). */
  settle(message: ReplyMessage): boolean {
    const w = this.waiting.get(message.id);
    if (!w) return false;
    this.waiting.delete(message.id);
    clearTimeout(w.timer);
    if (message.ok) w.resolve(message.result);
    else w.reject(new Error(message.error));
    return true;
  }

  /** Reject every waiting request with `message` (the other side is gone). */
  failAll(message: string): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(message));
    }
    this.waiting.clear();
  }
}
