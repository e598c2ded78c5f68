/** Test helper: a host-side client over a TrainerPort that sends requests and collects events. */
import {
  parseTrainerMessage,
  type Command,
  type LabEvent,
  type LabEventType,
} from '../../src/protocol/messages';
import type { TrainerPort } from '../../src/trainer/port';

export class TestClient {
  readonly events: LabEvent[] = [];
  private readonly waiters = new Map<
    number,
    (r: { ok: boolean; result?: unknown; error?: string }) => void
  >();
  private nextId = 1;
  readonly invalid: string[] = [];
  /** Sizes of the event messages received (1 for `event`, n for a coalesced `events`). */
  readonly batches: number[] = [];

  constructor(private readonly port: TrainerPort) {
    port.onMessage((raw) => {
      const parsed = parseTrainerMessage(raw);
      if (!parsed.ok) {
        this.invalid.push(parsed.error);
        return;
      }
      const m = parsed.value;
      if (m.kind === 'event') {
        this.events.push(m.event);
        this.batches.push(1);
      } else if (m.kind === 'events') {
        this.events.push(...m.events);
        this.batches.push(m.events.length);
      } else this.waiters.get(m.id)?.(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
    });
  }

  raw(message: unknown, id: number): Promise<{ ok: boolean; result?: unknown; error?: string }> {
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.port.send(message);
    });
  }

  send(
    command: Command,
    origin: 'ui' | 'host' = 'ui',
  ): Promise<{ ok: boolean; result?: unknown; error?: string }> {
    const id = this.nextId++;
    return this.raw({ kind: 'request', id, origin, command }, id);
  }

  async ok(command: Command, origin: 'ui' | 'host' = 'ui'): Promise<unknown> {
    const r = await this.send(command, origin);
    if (!r.ok) throw new Error(`${command.type} failed: ${r.error}`);
    return r.result;
  }

  of<K extends LabEventType>(type: K): Extract<LabEvent, { type: K }>[] {
    return this.events.filter((e): e is Extract<LabEvent, { type: K }> => e.type === type);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > end) throw new Error('timed out waiting for a condition');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
