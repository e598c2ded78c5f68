/**
 * Notices: errors and confirmations shown plainly at the top of the window (data-testid `error-banner` for
 * errors), each dismissible; info notices fade after a few seconds, errors stay until dismissed. A trainer
 * crash adds a banner with a Restart button; the recorded session stays on disk.
 */
import type { AppContext } from '../app/context';
import { h, replaceChildren } from './dom';

const INFO_TTL_MS = 6000;

export function mountNotices(ctx: AppContext): HTMLElement {
  const { store } = ctx;
  const root = h('div', { class: 'notices', 'aria-live': 'polite' });
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  store.select(
    (s) => [s.notices, s.trainerExit] as const,
    () => {
      const s = store.state;
      const items: HTMLElement[] = [];
      if (s.trainerExit) {
        const exit = s.trainerExit;
        items.push(
          h(
            'div',
            { class: 'notice error crash', testid: 'trainer-crash', role: 'alert' },
            h(
              'div',
              { class: 'notice-text' },
              h('strong', {}, 'The trainer stopped. '),
              exit.message,
              exit.sessionDir ? ` Everything recorded so far is safe in ${exit.sessionDir}.` : '',
            ),
            h(
              'button',
              {
                class: 'btn small primary',
                testid: 'restart-trainer',
                onclick: async () => {
                  const r = await ctx.run('Restart trainer', () => ctx.lab.restartTrainer());
                  if (r !== undefined) store.dispatch({ type: 'ui/trainer-restarted' });
                },
              },
              'Restart trainer',
            ),
          ),
        );
      }
      for (const n of s.notices) {
        items.push(
          h(
            'div',
            {
              class: `notice ${n.kind}`,
              testid: n.kind === 'error' ? 'error-banner' : 'info-banner',
              role: n.kind === 'error' ? 'alert' : 'status',
            },
            h('div', { class: 'notice-text' }, n.message),
            h(
              'button',
              {
                class: 'icon',
                title: 'Dismiss',
                testid: 'notice-dismiss',
                onclick: () => store.dispatch({ type: 'ui/dismiss', id: n.id }),
              },
              '×',
            ),
          ),
        );
        if (n.kind === 'info' && !timers.has(n.id)) {
          timers.set(
            n.id,
            setTimeout(() => {
              timers.delete(n.id);
              store.dispatch({ type: 'ui/dismiss', id: n.id });
            }, INFO_TTL_MS),
          );
        }
      }
      replaceChildren(root, items);
    },
    (a, b) => a[0] === b[0] && a[1] === b[1],
  );
  return root;
}
