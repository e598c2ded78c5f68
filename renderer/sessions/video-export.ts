/**
 * Exports the live view as a WebM video: `canvas.captureStream` + `MediaRecorder`; on stop, a download link
 * appears (data-testid `video-download`). Chooses VP9, then VP8, then the browser's default WebM codec.
 */
import { h, setText } from '../ui/dom';

const FPS = 30;

function pickMime(): string {
  for (const m of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']) {
    if (typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m)) return m;
  }
  return '';
}

export function mountVideoExport(
  getCanvas: () => HTMLCanvasElement | null,
  onError: (message: string) => void,
): HTMLElement {
  let recorder: MediaRecorder | null = null;
  let chunks: Blob[] = [];
  let url: string | null = null;
  const link = h('a', { class: 'video-link', testid: 'video-download', hidden: true }, 'Download video');
  const button = h(
    'button',
    { class: 'btn small', testid: 'video-record', title: 'Record the live view as a WebM video' },
    '● Record video',
  );

  const stop = (): void => recorder?.stop();
  const start = (): void => {
    const canvas = getCanvas();
    if (!canvas) return onError('Video: the live view is not available.');
    const mime = pickMime();
    if (!mime || typeof canvas.captureStream !== 'function')
      return onError('Video: this browser cannot record WebM from a canvas.');
    try {
      const stream = canvas.captureStream(FPS);
      recorder = new MediaRecorder(stream, { mimeType: mime, videoBitsPerSecond: 4_000_000 });
    } catch (error) {
      return onError(`Video: ${(error as Error).message}`);
    }
    chunks = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    recorder.onstop = () => {
      if (url) URL.revokeObjectURL(url);
      const blob = new Blob(chunks, { type: 'video/webm' });
      url = URL.createObjectURL(blob);
      link.href = url;
      link.download = `continual-rl-lab-${new Date().toISOString().replace(/[:.]/g, '-')}.webm`;
      link.hidden = false;
      setText(link, `Download video (${(blob.size / 1e6).toFixed(1)} MB)`);
      recorder = null;
      button.classList.remove('recording');
      setText(button, '● Record video');
    };
    recorder.start(1000);
    button.classList.add('recording');
    setText(button, '■ Stop recording');
    link.hidden = true;
  };
  button.addEventListener('click', () => (recorder ? stop() : start()));
  return h('div', { class: 'video-export' }, button, link);
}
