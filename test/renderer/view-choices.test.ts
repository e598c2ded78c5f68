// Pure choices behind the live view: which Pixi renderer to use, what the trainer must draw for the UI, and
// how an export becomes the one file the user gets.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { viewDemand } from '../../renderer/state/view-demand';
import { videoFileName } from '../../renderer/format/format';
import { chooseRenderer, rendererOverride } from '../../renderer/views/render-quality';
import { packExport } from '../../src/protocol/export-pack';

describe('render quality', () => {
  it('draws with WebGL on a GPU and with Canvas 2D on software WebGL, at the device pixel ratio', () => {
    expect(chooseRenderer(false, 2)).toEqual({ renderer: 'webgl', resolution: 2 });
    expect(chooseRenderer(true, 1)).toEqual({ renderer: 'canvas', resolution: 1 });
    expect(chooseRenderer(true, 3)).toEqual({ renderer: 'canvas', resolution: 2 });
    expect(chooseRenderer(false, 0)).toEqual({ renderer: 'webgl', resolution: 1 });
  });

  it('lets ?renderer= override the choice, ignoring anything else', () => {
    expect(rendererOverride('?token=x&renderer=webgl')).toBe('webgl');
    expect(rendererOverride('?renderer=canvas')).toBe('canvas');
    expect(rendererOverride('?renderer=webgpu')).toBeNull();
    expect(rendererOverride('')).toBeNull();
  });
});

describe('view demand', () => {
  const shown = {
    pageVisible: true,
    liveOnScreen: true,
    multiplesOnScreen: true,
    videoRecording: false,
    playingBack: false,
    overlay: true,
  };

  it('asks for everything on screen, and nothing from a hidden page', () => {
    expect(viewDemand(shown)).toEqual({ live: true, multiples: true, overlay: true });
    expect(viewDemand({ ...shown, pageVisible: false })).toEqual({
      live: false,
      multiples: false,
      overlay: false,
    });
  });

  it('needs no live frames while playing back or scrolled away, and no overlay when it is off', () => {
    expect(viewDemand({ ...shown, playingBack: true })).toEqual({
      live: false,
      multiples: true,
      overlay: false,
    });
    expect(viewDemand({ ...shown, liveOnScreen: false }).live).toBe(false);
    expect(viewDemand({ ...shown, multiplesOnScreen: false }).multiples).toBe(false);
    expect(viewDemand({ ...shown, overlay: false })).toEqual({ live: true, multiples: true, overlay: false });
  });

  it('keeps live frames coming while the live view is recorded as a video, even scrolled away', () => {
    expect(viewDemand({ ...shown, liveOnScreen: false, videoRecording: true })).toEqual({
      live: true,
      multiples: true,
      overlay: true,
    });
    // A hidden page draws nothing at all (the browser stops animation frames), recording or not.
    expect(viewDemand({ ...shown, pageVisible: false, videoRecording: true }).live).toBe(false);
  });
});

describe('export files', () => {
  it('gives a single file as is', () => {
    const file = packExport({
      name: 'run-1.json',
      files: [{ name: 'run-1.json', mime: 'application/json', text: '{"a":"é"}\n' }],
    });
    expect(file.name).toBe('run-1.json');
    expect(file.mime).toBe('application/json');
    expect(new TextDecoder().decode(file.data)).toBe('{"a":"é"}\n');
  });

  it('zips several files, each intact', () => {
    const file = packExport({
      name: 'run-1-csv.zip',
      files: [
        { name: 'evals.csv', mime: 'text/csv', text: 'step,mean\n0,1\n' },
        { name: 'tasks.csv', mime: 'text/csv', text: 'task,label\n0,"a, b"\n' },
      ],
    });
    expect(file).toMatchObject({ name: 'run-1-csv.zip', mime: 'application/zip' });
    const files = unzipSync(file.data);
    expect(Object.keys(files).sort()).toEqual(['evals.csv', 'tasks.csv']);
    expect(strFromU8(files['tasks.csv']!)).toBe('task,label\n0,"a, b"\n');
  });

  it('names videos by time, without characters file systems refuse', () => {
    expect(videoFileName(new Date('2026-11-29T00:12:03.456Z'))).toBe(
      'continual-rl-lab-2026-11-29T00-12-03-456Z.webm',
    );
  });
  it('names a video by session, strategy and the steps it covers', () => {
    const now = new Date('2026-11-29T00:12:03.456Z');
    expect(
      videoFileName(now, {
        session: '20261129-001203-default-ewc',
        strategy: 'ewc',
        fromStep: 1200,
        toStep: 5400,
      }),
    ).toBe('20261129-001203-default-ewc-ewc-steps-1200-5400.webm');
    expect(videoFileName(now, { session: null, strategy: 'ewc/x', fromStep: 0, toStep: 10 })).toBe(
      'live-2026-11-29T00-12-03-456Z-ewc-x-steps-0-10.webm',
    );
  });
});
