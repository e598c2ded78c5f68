// Issue #14 item 7: events.ndjson is streamed in bounded chunks (lines across chunk boundaries, over-long
// lines, a torn tail), readers keep only what they need, and playback reads evaluation episodes back through a
// byte-offset index instead of holding them all.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalEpisodeEvent, RunEvent } from '../../src/session/events';
import { exportSession, exportSessionStreamed } from '../../src/session/export';
import { scanLines } from '../../src/session/line-scan';
import { openSession } from '../../src/session/reader';
import { SUMMARY_EVENTS, summarizeSession } from '../../src/session/summary';
import { PlaybackSession } from '../../src/trainer/playback';
import { Rng } from '../../envs/rng';
import { recordSynthetic, syntheticEvents, tempDir } from './helpers';

let work: string;
beforeAll(() => {
  work = tempDir('lab-stream-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('scanLines', () => {
  it('yields exactly the lines of a multi-MiB file whose lines straddle chunk boundaries', () => {
    const rng = new Rng(14);
    const rand = (): number => rng.uniform();
    const lines: string[] = [];
    let size = 0;
    while (size < 3.5 * 1024 * 1024) {
      const n = rand() < 0.01 ? 300_000 + Math.floor(rand() * 900_000) : Math.floor(rand() * 200);
      const line = 'x'.repeat(n);
      lines.push(line);
      size += n + 1;
    }
    const file = path.join(work, 'lines.txt');
    fs.writeFileSync(file, `${lines.join('\n')}\ntail-without-newline`);
    const maxLine = 1_000_000;
    const seen: { length: number; text: string | null; terminated: boolean; offset: number }[] = [];
    const total = scanLines(file, fs.statSync(file).size, maxLine, (l) =>
      seen.push({
        length: l.length,
        text: l.bytes?.toString() ?? null,
        terminated: l.terminated,
        offset: l.offset,
      }),
    );
    const expected = [...lines, 'tail-without-newline'];
    expect(total).toBe(expected.length);
    let offset = 0;
    expected.forEach((line, i) => {
      expect(seen[i]!.length).toBe(line.length);
      expect(seen[i]!.offset).toBe(offset);
      expect(seen[i]!.text).toBe(line.length > maxLine ? null : line);
      expect(seen[i]!.terminated).toBe(i < lines.length);
      offset += line.length + 1;
    });
  });

  it('reads only up to the limit it is given (a writer appending meanwhile is not half-read)', () => {
    const file = path.join(work, 'limit.txt');
    fs.writeFileSync(file, 'a\nbb\nccc\n');
    const seen: string[] = [];
    scanLines(file, 5, 100, (l) => seen.push(l.bytes!.toString()));
    expect(seen).toEqual(['a', 'bb']);
  });
});

describe('readers keep only what they need', () => {
  it('openSession({ keep }) drops events from memory but counts them all; inspect summary unchanged', async () => {
    const dir = await recordSynthetic(path.join(work, 'keep'));
    const all = openSession(dir);
    const small = openSession(dir, { keep: (e) => SUMMARY_EVENTS.has(e.type) });
    expect(small.events.some((e) => e.type === 'episode')).toBe(false);
    expect(small.events.length).toBeLessThan(all.events.length);
    expect(small.eventCount).toBe(all.events.length);
    expect(summarizeSession(small)).toEqual(summarizeSession(all));
  });

  it('playback keeps no evaluation episode in memory and reads each back by offset', async () => {
    const events: RunEvent[] = syntheticEvents({ complete: false });
    const episode = (step: number, task: number): EvalEpisodeEvent => ({
      type: 'eval-episode',
      step,
      t: step / 100,
      task,
      envId: task === 0 ? 'CartPole-v1' : 'Acrobot-v1',
      params: {},
      seed: step,
      actions: [0, 1, 1, 0],
      return: 4,
      length: 4,
    });
    events.splice(5, 0, episode(100, 0), episode(100, 1));
    const dir = await recordSynthetic(path.join(work, 'playback'), events);
    const playback = new PlaybackSession(dir);
    expect(playback.opened.events.some((e) => e.type === 'eval-episode')).toBe(false);
    expect(playback.opened.episodeSteps).toEqual([100, 100]);
    expect(playback.episodeAt(150)).toEqual(episode(100, 0));
    // The log is rewritten under the index: seeking says so instead of showing a wrong episode.
    const file = path.join(dir, 'events.ndjson');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"seed":100', '"seed":999'));
    expect(() => playback.episodeAt(150)).toThrow(/changed since the session was opened/);
  });
});

describe('streamed export', () => {
  it('prints and writes exactly what the in-memory export does, for CSV and JSON', async () => {
    const dir = await recordSynthetic(path.join(work, 'export'));
    const session = openSession(dir);
    for (const format of ['csv', 'json'] as const) {
      let printed = '';
      exportSessionStreamed(dir, { format }, (t) => (printed += t));
      expect(printed).toBe(exportSession(session, { format }).text);
      const a = path.join(work, `mem-${format}`);
      const b = path.join(work, `streamed-${format}`);
      const target = (d: string): string => (format === 'json' ? path.join(d, 'x.json') : d);
      fs.mkdirSync(a);
      fs.mkdirSync(b);
      exportSession(session, { format, out: target(a) });
      const { files } = exportSessionStreamed(dir, { format, out: target(b) }, () => {
        throw new Error('nothing is printed when writing files');
      });
      expect(files.length).toBe(format === 'json' ? 1 : 5);
      for (const name of fs.readdirSync(a)) {
        expect(fs.readFileSync(path.join(b, name), 'utf8'), name).toBe(
          fs.readFileSync(path.join(a, name), 'utf8'),
        );
      }
      expect(fs.readdirSync(b).sort()).toEqual(fs.readdirSync(a).sort());
    }
  });
});
