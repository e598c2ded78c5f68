/**
 * Recorded sessions: the list (refreshable), and for the selected one Open (playback), Resume (continue
 * training from its last checkpoint), Export CSV / JSON (the user gets a file: `<session>.json`, or the CSV
 * tables in `<session>-csv.zip` — a download in the browser, a save dialog in Electron). While a session is
 * open, a timeline scrubber (`timeline`, placed by the layout above the views it drives) moves the cursor:
 * charts show the run up to the cursor and the live view re-simulates the recorded evaluation episode
 * nearest before it (`lab.playbackSeek`).
 */
import { packExport } from '../../src/protocol/export-pack';
import type { PlaybackFrame } from '../../src/protocol/messages';
import type { AppContext } from '../app/context';
import { formatSteps, liveRecording, sessionMetaLine } from '../format/format';
import { h, panel, replaceChildren, setText } from '../ui/dom';

const SEEK_DELAY_MS = 120;

export function mountSessionsPanel(
  ctx: AppContext,
  onPlaybackFrame: (frame: PlaybackFrame | null) => void,
): { panel: HTMLElement; timeline: HTMLElement } {
  const { store } = ctx;
  let selected: string | null = null;

  const list = h('ul', { class: 'session-list', testid: 'session-list' });
  const refresh = async (): Promise<void> => {
    const sessions = await ctx.run('List sessions', () => ctx.lab.listSessions());
    if (sessions) store.dispatch({ type: 'ui/sessions', sessions });
  };
  const refreshBtn = h(
    'button',
    { class: 'btn small', testid: 'sessions-refresh', onclick: () => void refresh() },
    'Refresh',
  );
  const openBtn = h(
    'button',
    { class: 'btn small primary', testid: 'open-session', onclick: () => void open() },
    'Open',
  );
  const resumeBtn = h(
    'button',
    {
      class: 'btn small',
      testid: 'resume-session',
      title: 'Continue training from the last checkpoint',
      onclick: async () => {
        if (!selected) return;
        const dir = selected;
        const r = await ctx.run('Resume', () => ctx.lab.resumeSession(dir));
        if (r) {
          store.dispatch({ type: 'ui/playback-close' });
          onPlaybackFrame(null);
          store.dispatch({ type: 'ui/notice', kind: 'info', message: `Resumed training from ${dir}.` });
        }
      },
    },
    'Resume',
  );
  const exportBtn = (format: 'csv' | 'json'): HTMLElement =>
    h(
      'button',
      {
        class: 'btn small',
        testid: `export-${format}`,
        onclick: async () => {
          if (!selected) return;
          const dir = selected;
          const r = await ctx.run(`Export ${format.toUpperCase()}`, async () => {
            const file = packExport(await ctx.lab.exportSession(dir, format));
            return ctx.lab.saveFile(file);
          });
          if (r?.saved) store.dispatch({ type: 'ui/notice', kind: 'info', message: `Exported ${r.saved}` });
        },
      },
      format.toUpperCase(),
    );

  const open = async (): Promise<void> => {
    if (!selected) return;
    const dir = selected;
    const session = await ctx.run('Open session', () => ctx.lab.openSession(dir));
    if (!session) return;
    store.dispatch({ type: 'ui/playback-open', session });
  };

  // Playback controls.
  const scrubber = h('input', {
    type: 'range',
    testid: 'scrubber',
    min: '0',
    max: '0',
    step: '1',
    'aria-label': 'Playback position (env step)',
  });
  const cursorOut = h('output', { class: 'mono', testid: 'playback-step' });
  const playbackTitle = h('div', { class: 'playback-title', testid: 'playback-title' });
  const close = h(
    'button',
    {
      class: 'btn small',
      testid: 'close-playback',
      onclick: () => {
        store.dispatch({ type: 'ui/playback-close' });
        onPlaybackFrame(null);
      },
    },
    'Back to live',
  );
  const playbackBox = h(
    'div',
    { class: 'playback', testid: 'playback' },
    playbackTitle,
    h('div', { class: 'slider-row' }, scrubber, cursorOut),
    close,
  );

  let seekTimer: ReturnType<typeof setTimeout> | undefined;
  let seekSeq = 0;
  const seek = async (step: number): Promise<void> => {
    const mine = ++seekSeq;
    const frame = await ctx.run('Playback', () => ctx.lab.playbackSeek(step));
    if (frame && mine === seekSeq && store.state.playback) onPlaybackFrame(frame);
  };
  scrubber.addEventListener('input', () => {
    const step = Number(scrubber.value);
    store.dispatch({ type: 'ui/playback-cursor', step });
    clearTimeout(seekTimer);
    seekTimer = setTimeout(() => void seek(step), SEEK_DELAY_MS);
  });

  const select = (dir: string): void => {
    selected = dir;
    for (const li of list.children) li.classList.toggle('selected', (li as HTMLElement).dataset.dir === dir);
    updateButtons();
  };
  const updateButtons = (): void => {
    const none = selected === null;
    for (const b of [openBtn, resumeBtn, ...exportBtns]) (b as HTMLButtonElement).disabled = none;
  };
  const exportBtns = [exportBtn('csv'), exportBtn('json')];

  store.select(
    (s) => s.sessions,
    (sessions) => {
      replaceChildren(
        list,
        sessions.map((x, i) =>
          h(
            'li',
            {
              class: `session${x.dir === selected ? ' selected' : ''}${x.error ? ' broken' : ''}`,
              testid: `session-item-${i}`,
              'data-dir': x.dir,
              title: x.error ?? x.dir,
              onclick: () => select(x.dir),
            },
            h('div', { class: 'session-name' }, x.dir),
            h('div', { class: 'session-meta' }, sessionMetaLine(x, liveRecording(store.state.status))),
          ),
        ),
      );
      if (sessions.length === 0)
        list.append(h('li', { class: 'muted small empty' }, 'No recorded sessions yet.'));
      if (selected === null || !sessions.some((x) => x.dir === selected)) {
        selected = null;
        const first = sessions.find((x) => !x.error);
        if (first) select(first.dir);
      }
      updateButtons();
    },
  );

  // A session opened here or by the host (Electron menu → session-opened) starts at its last step.
  let openDir: string | null = null;
  store.select(
    (s) => s.playback,
    (r) => {
      playbackBox.hidden = r === null;
      if (!r) {
        openDir = null;
        return;
      }
      if (r.session.dir !== openDir) {
        openDir = r.session.dir;
        void seek(r.cursor);
      }
      scrubber.max = String(r.session.lastStep);
      if (document.activeElement !== scrubber) scrubber.value = String(r.cursor);
      setText(cursorOut, `${formatSteps(r.cursor)} / ${formatSteps(r.session.lastStep)}`);
      setText(playbackTitle, `Playing back ${r.session.dir}`);
    },
  );

  // The session being recorded shows the run's live step count (only its line is rewritten, per status).
  store.select(
    (s) => {
      const live = liveRecording(s.status);
      return live ? `${live.dir}\u0001${live.step}` : '';
    },
    () => {
      const live = liveRecording(store.state.status);
      if (!live) return;
      const i = store.state.sessions.findIndex((x) => x.dir === live.dir);
      const meta = i >= 0 ? list.children[i]?.querySelector('.session-meta') : null;
      if (meta) setText(meta as HTMLElement, sessionMetaLine(store.state.sessions[i]!, live));
    },
  );

  // The list changes when a recording starts or a run ends: refresh then (and once at startup).
  store.select(
    (s) => `${s.status?.sessionDir ?? ''}|${s.run.ended ?? ''}|${s.connection}`,
    () => void refresh(),
  );
  return {
    panel: panel(
      'Sessions',
      'sessions-panel',
      h('div', { class: 'row buttons' }, refreshBtn, openBtn, resumeBtn, ...exportBtns),
      list,
    ),
    timeline: playbackBox,
  };
}
