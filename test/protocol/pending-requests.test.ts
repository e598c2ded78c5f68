// PendingRequests (src/protocol/pending-requests.ts): the one request/reply correlation used by the UI host
// and the page's WebSocket client.
import { describe, expect, it, vi } from 'vitest';
import { PendingRequests } from '../../src/protocol/pending-requests';

describe('PendingRequests', () => {
  it('routes each reply to its own request, by id', async () => {
    const p = new PendingRequests();
    const a = p.open('pause');
    const b = p.open('resume');
    expect(b.id).toBe(a.id + 1);
    expect(p.settle({ kind: 'reply', id: b.id, ok: false, error: 'no run' })).toBe(true);
    expect(p.settle({ kind: 'reply', id: a.id, ok: true, result: { x: 1 } })).toBe(true);
    await expect(a.reply).resolves.toEqual({ x: 1 });
    await expect(b.reply).rejects.toThrow('no run');
    expect(p.size).toBe(0);
  });

  it('says false for a reply nobody waits for, and fails everything still waiting', async () => {
    const p = new PendingRequests();
    expect(p.settle({ kind: 'reply', id: 42, ok: true, result: null })).toBe(false);
    const a = p.open('pause');
    p.failAll('The trainer was restarted.');
    await expect(a.reply).rejects.toThrow('The trainer was restarted.');
    expect(p.settle({ kind: 'reply', id: a.id, ok: true, result: null })).toBe(false);
  });

  it('times out a request, naming its command', async () => {
    vi.useFakeTimers();
    try {
      const p = new PendingRequests();
      const a = p.open('start', 2000);
      const check = expect(a.reply).rejects.toThrow('did not answer "start" within 2 s');
      vi.advanceTimersByTime(2001);
      await check;
      expect(p.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
