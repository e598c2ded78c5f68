// The preload with a fake `electron`: exposes exactly the LabApi (named functions, no ipcRenderer), one IPC
// channel per command, replies and events validated before the page sees them.
import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';
import type { LabApi } from '../../src/protocol/lab-api';
import type { LabEvent } from '../../src/protocol/messages';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  (globalThis as { __fakeElectronPreload?: FakeElectron }).__fakeElectronPreload = fake;
  return fake.module;
});

await import('../../electron/preload');
const fake = (globalThis as { __fakeElectronPreload?: FakeElectron }).__fakeElectronPreload!;
const lab = fake.state.exposed.get('lab') as LabApi;

describe('preload', () => {
  it('exposes only the LabApi as window.lab', () => {
    expect([...fake.state.exposed.keys()]).toEqual(['lab']);
    expect(lab.platform).toBe('electron');
    const keys = Object.keys(lab).sort();
    expect(keys).toContain('switchTask');
    expect(keys).toContain('onEvent');
    expect(keys).not.toContain('invoke');
    expect(keys).not.toContain('send');
    for (const k of keys)
      if (k !== 'platform') expect(typeof (lab as unknown as Record<string, unknown>)[k], k).toBe('function');
  });

  it('sends each command on its own channel with its payload, and unwraps replies', async () => {
    fake.state.invokeReply = () => ({ ok: true, result: null });
    await lab.switchTask(2);
    expect(fake.state.invoked.at(-1)).toEqual({ channel: 'lab:switch-task', payload: { index: 2 } });
    await lab.setSpeed({ mode: 'fixed', stepsPerSecond: 30 });
    expect(fake.state.invoked.at(-1)).toEqual({
      channel: 'lab:set-speed',
      payload: { speed: { mode: 'fixed', stepsPerSecond: 30 } },
    });
    fake.state.invokeReply = () => ({
      ok: false,
      error: 'Cannot pause: no run is active (start one first).',
    });
    await expect(lab.pause()).rejects.toThrow('Cannot pause: no run is active (start one first).');
  });

  it('rejects malformed replies and results instead of passing them on', async () => {
    fake.state.invokeReply = () => 'garbage';
    await expect(lab.pause()).rejects.toThrow(/invalid reply to "pause"/);
    fake.state.invokeReply = () => ({ ok: true, result: { protocol: 'x' } });
    await expect(lab.getInfo()).rejects.toThrow(/Invalid result of "get-info"/);
  });

  it('validates events: valid ones reach listeners, invalid ones arrive as an error event', () => {
    const got: LabEvent[] = [];
    const off = lab.onEvent((e) => got.push(e));
    const deliver = fake.state.rendererListeners.get('lab:events')![0]!;
    deliver({}, [
      { type: 'error', message: 'hi' },
      { type: 'frame', step: 'NaN' },
    ]);
    expect(got[0]).toEqual({ type: 'error', message: 'hi' });
    expect(got[1]!.type).toBe('error');
    expect((got[1] as { message: string }).message).toMatch(/Invalid event/);
    deliver({}, { type: 'error', message: 'not an array' });
    expect((got[2] as { message: string }).message).toMatch(/Invalid event message/);
    off();
    deliver({}, [{ type: 'error', message: 'after' }]);
    expect(got).toHaveLength(3);
  });

  it('saveFile hands the bytes to main on its own channel and returns where they went', async () => {
    const data = new Uint8Array([1, 2, 3]);
    fake.state.invokeReply = () => ({ ok: true, result: { saved: '/home/u/Downloads/a.webm' } });
    expect(await lab.saveFile({ name: 'a.webm', mime: 'video/webm', data })).toEqual({
      saved: '/home/u/Downloads/a.webm',
    });
    expect(fake.state.invoked.at(-1)).toEqual({
      channel: 'lab:save-file',
      payload: { name: 'a.webm', mime: 'video/webm', data },
    });
    fake.state.invokeReply = () => ({ ok: true, result: { saved: null } });
    expect(await lab.saveFile({ name: 'a.webm', mime: 'video/webm', data })).toEqual({ saved: null });
    fake.state.invokeReply = () => ({ ok: false, error: 'Could not save a.webm: EACCES' });
    await expect(lab.saveFile({ name: 'a.webm', mime: 'video/webm', data })).rejects.toThrow(/EACCES/);
  });
});
