/**
 * Exports the live view as a WebM video: `canvas.captureStream` + `MediaRecorder`. Stopping the recording
 * gives the user the file at once through `lab.saveFile` (a download in the browser, a save dialog in
 * Electron). Chooses VP9, then VP8, then the browser's default WebM codec. MediaRecorder leaves the WebM
 * Duration unset (players show "Infinity"), so the file gets the recording's wall-clock length written in.
 */
import type { SaveFileRequest, SaveFileResult } from '../../src/protocol/lab-api';
import { videoFileName } from '../format/format';
import { h, setText } from '../ui/dom';
import { setWebmDuration } from './webm-duration';

const FPS = 30;

function pickMime(): string {
  for (const m of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']) {
    if (typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m)) return m;
  }
  return '';
}

export interface VideoExportOptions {
  getCanvas: () => HTMLCanvasElement | null;
  save: (file: SaveFileRequest) => Promise<SaveFileResult>;
  onSaved: (where: string) => void;
  onError: (message: string) => void;
  /** Told when a recording starts and stops (the trainer must keep sending live frames meanwhile). */
  onRecordingChange: (recording: boolean) => void;
  /** The session (folder name, null when not recording), strategy and env step shown now (for the file name). */
  describe: () => { session: string | null; strategy: string | null; step: number };
}

export function mountVideoExport(opts: VideoExportOptions): HTMLElement {
  let recorder: MediaRecorder | null = null;
  /** The canvas capture of the current recording; its tracks are stopped when the recording ends. */
  let stream: MediaStream | null = null;
  let chunks: Blob[] = [];
  let fromStep = 0;
  /** performance.now() when the recording started (its length becomes the file's Duration). */
  let startedAt = 0;
  const button = h(
    'button',
    { class: 'btn small', testid: 'video-record', title: 'Record the live view as a WebM video' },
    '● Record video',
  );

  const finish = async (): Promise<void> => {
    const durationMs = performance.now() - startedAt;
    recorder = null;
    opts.onRecordingChange(false);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    button.classList.remove('recording');
    setText(button, '● Record video');
    const blob = new Blob(chunks, { type: 'video/webm' });
    chunks = [];
    if (blob.size === 0) {
      opts.onError('Video: nothing was captured (the view did not change while recording); no file saved.');
      return;
    }
    try {
      const data = setWebmDuration(new Uint8Array(await blob.arrayBuffer()), durationMs);
      const d = opts.describe();
      const name = videoFileName(new Date(), { ...d, fromStep, toStep: d.step });
      const r = await opts.save({ name, mime: 'video/webm', data });
      if (r.saved) opts.onSaved(`${r.saved} (${(blob.size / 1e6).toFixed(1)} MB)`);
    } catch (error) {
      opts.onError(`Video: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const start = (): void => {
    const canvas = opts.getCanvas();
    if (!canvas) return opts.onError('Video: the live view is not available.');
    const mime = pickMime();
    if (!mime || typeof canvas.captureStream !== 'function')
      return opts.onError('Video: this browser cannot record WebM from a canvas.');
    try {
      stream = canvas.captureStream(FPS);
      recorder = new MediaRecorder(stream, { mimeType: mime, videoBitsPerSecond: 4_000_000 });
    } catch (error) {
      return opts.onError(`Video: ${(error as Error).message}`);
    }
    chunks = [];
    fromStep = opts.describe().step;
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    recorder.onstop = () => void finish();
    recorder.start(1000);
    startedAt = performance.now();
    opts.onRecordingChange(true);
    button.classList.add('recording');
    setText(button, '■ Stop & save video');
  };
  button.addEventListener('click', () => (recorder ? recorder.stop() : start()));
  return h('div', { class: 'video-export' }, button);
}
