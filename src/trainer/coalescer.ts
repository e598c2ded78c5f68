/**
 * Coalesces the trainer's events on their way to the UI host: events pushed during one turn of the event
 * loop are delivered together on the next (`setImmediate`), so a burst (a training chunk's frame,
 * multiples, status and run events) costs the receiving processes one wake-up instead of one per event;
 * the shells forward each batch as one message. `flush()` delivers at once (the trainer flushes before
 * sending a reply, which keeps replies behind the events emitted before them).
 */
import type { LabEvent } from '../protocol/messages';
import { MAX_EVENTS_PER_MESSAGE } from '../protocol/messages';

export class EventCoalescer {
  private queue: LabEvent[] = [];
  private scheduled = false;

  constructor(private readonly deliver: (events: LabEvent[]) => void) {}

  push(event: LabEvent): void {
    this.queue.push(event);
    if (this.queue.length >= MAX_EVENTS_PER_MESSAGE) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    this.deliver(events);
  }
}
