/**
 * "Switch environment now": one button per task of the run (keys 1–9), the task being trained highlighted.
 * Button i (0-based, data-testid `switch-task-<i>`) calls `lab.switchTask(i)`; the trainer records the switch
 * as a manual task-start.
 */
import type { AppContext } from '../app/context';
import { currentTask, isRunning, switchableTasks } from '../state/selectors';
import { h, panel, replaceChildren } from '../ui/dom';

export function switchTo(ctx: AppContext, index: number): void {
  const s = ctx.store.state;
  if (!isRunning(s)) return;
  if (index >= switchableTasks(s).length) return;
  void ctx.run(`Switch to task ${index + 1}`, () => ctx.lab.switchTask(index));
}

export function mountTaskSwitcher(ctx: AppContext): HTMLElement {
  const list = h('div', { class: 'task-buttons' });
  ctx.store.select(
    (s) => {
      const cur = currentTask(s);
      return `${switchableTasks(s)
        .map((t) => t.label)
        .join('\u0001')}|${cur?.index ?? -1}|${isRunning(s)}`;
    },
    () => {
      const s = ctx.store.state;
      const tasks = switchableTasks(s);
      const cur = currentTask(s);
      const running = isRunning(s);
      replaceChildren(
        list,
        tasks.map((t, i) =>
          h(
            'button',
            {
              class: `task-btn${cur?.index === i && running ? ' active' : ''}`,
              testid: `switch-task-${i}`,
              title: `Train ${t.label} now${i < 9 ? ` · key ${i + 1}` : ''}`,
              disabled: !running,
              onclick: () => switchTo(ctx, i),
            },
            h('span', { class: 'kbd' }, i < 9 ? String(i + 1) : '·'),
            h('span', { class: 'task-label' }, t.label),
          ),
        ),
      );
      if (tasks.length === 0) list.append(h('p', { class: 'muted' }, 'No tasks yet.'));
    },
  );
  return panel('Switch task now', 'task-switcher', list);
}
