/**
 * "Switch environment now": one button per task of the run on screen (keys 1–9), the task being trained
 * highlighted. Button i (0-based, data-testid `switch-task-<i>`) calls `lab.switchTask(i)`; the trainer
 * records the switch as a manual task-start.
 *
 * It says what a switch does to the schedule before it is made (each button's tooltip and the schedule line:
 * the current stage ends now with its R row, a stage of the chosen task with its scheduled budget is
 * inserted, the run grows by that budget, and the planned next task follows) and after (the schedule line
 * and a notice). In playback it lists the played-back run's tasks, read-only.
 */
import type { AppContext } from '../app/context';
import { distinguishingLabels } from '../format/format';
import { scheduleLine, switchEffect } from '../state/schedule-text';
import { currentTask, isRunning, switchableTasks } from '../state/selectors';
import { h, panel, replaceChildren, setText } from '../ui/dom';

export function switchTo(ctx: AppContext, index: number): void {
  const s = ctx.store.state;
  if (!isRunning(s) || s.playback) return;
  if (index >= switchableTasks(s).length) return;
  const label = switchableTasks(s)[index]?.label ?? `task ${index + 1}`;
  const effect = switchEffect(s, index);
  void ctx
    .run(`Switch to task ${index + 1}`, () => ctx.lab.switchTask(index))
    .then((r) => {
      if (r === undefined && ctx.store.state.notices.some((n) => n.key === `Switch to task ${index + 1}`))
        return;
      ctx.store.dispatch({
        type: 'ui/notice',
        kind: 'info',
        key: 'switch',
        message: `Switched to ${label}. ${effect ?? ''}`.trim(),
      });
    });
}

export function mountTaskSwitcher(ctx: AppContext): HTMLElement {
  const list = h('div', { class: 'task-buttons' });
  const caption = h('p', { class: 'muted small', testid: 'task-switcher-caption' });
  const schedule = h('p', { class: 'small schedule-line', testid: 'schedule' });
  ctx.store.select(
    (s) => {
      const cur = currentTask(s);
      return `${switchableTasks(s)
        .map((t) => t.label)
        .join(
          '\u0001',
        )}|${cur?.index ?? -1}|${isRunning(s)}|${s.playback?.session.dir ?? ''}|${JSON.stringify(s.status?.schedule ?? null)}`;
    },
    () => {
      const s = ctx.store.state;
      const tasks = switchableTasks(s);
      const cur = s.playback ? null : currentTask(s);
      const live = isRunning(s) && !s.playback;
      const short = distinguishingLabels(tasks.map((t) => t.label));
      setText(
        caption,
        s.playback
          ? 'Tasks of the played-back session.'
          : live
            ? 'Train another task now: the current stage ends here and a stage of the chosen task is inserted.'
            : 'Tasks of the next run (start it to switch between them).',
      );
      setText(schedule, live ? scheduleLine(s, s.status?.schedule) : '');
      replaceChildren(
        list,
        tasks.map((t, i) =>
          h(
            'button',
            {
              class: `task-btn${cur?.index === i && live ? ' active' : ''}`,
              testid: `switch-task-${i}`,
              title: live
                ? `${t.label}${i < 9 ? ` · key ${i + 1}` : ''}\n${switchEffect(s, i) ?? ''}`
                : t.label,
              disabled: !live,
              onclick: () => switchTo(ctx, i),
            },
            h('span', { class: 'kbd' }, i < 9 ? String(i + 1) : '·'),
            h('span', { class: 'task-label' }, short[i] ?? t.label),
          ),
        ),
      );
      if (tasks.length === 0) list.append(h('p', { class: 'muted' }, 'No tasks yet.'));
    },
  );
  return panel('Switch task now', 'task-switcher', caption, list, schedule);
}
