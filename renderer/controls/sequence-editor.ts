/**
 * The sequence editor: start from a built-in sequence, then add, remove and reorder tasks and edit each
 * task's label, step budget and environment parameters. Every field is validated as typed (zod, ranges from
 * the env specs) and errors appear under the field. Start sends the draft with the start command (and
 * refuses an invalid one, naming the errors); while a run is active, a valid parameter edit of task i is sent
 * with `lab.setEnvParams`.
 */
import type { AppContext } from '../app/context';
import { draftErrors, taskParams, tunedFor, type DraftSequence, type EnvInfo } from '../state/draft-sequence';
import { isRunning } from '../state/selectors';
import { h, panel, replaceChildren, setText } from '../ui/dom';

export function mountSequenceEditor(ctx: AppContext): HTMLElement {
  const { store } = ctx;
  const baseSelect = h('select', {
    testid: 'sequence-select',
    onchange: () => {
      if (baseSelect.value) store.dispatch({ type: 'ui/draft-use-sequence', name: baseSelect.value });
    },
  });
  const list = h('ol', { class: 'seq-list', testid: 'sequence-list' });
  const addEnv = h('select', { testid: 'seq-add-env' });
  const addBtn = h(
    'button',
    {
      class: 'btn small',
      testid: 'seq-add',
      onclick: () => {
        if (!addEnv.value) return;
        store.dispatch({ type: 'ui/draft-add', envId: addEnv.value });
      },
    },
    '+ Add task',
  );
  const summary = h('div', { class: 'field-error', testid: 'sequence-errors' });
  const about = h('div', { class: 'muted small seq-about', testid: 'sequence-about' });
  const tuning = h('div', { class: 'muted small', testid: 'sequence-tuning' });

  const field = (index: number, name: string, raw: string): void => {
    store.dispatch({ type: 'ui/draft-field', index, field: name, raw });
    const s = store.state;
    const t = s.draft.tasks[index];
    if (
      t &&
      Object.keys(t.errors).length === 0 &&
      isRunning(s) &&
      name !== 'label' &&
      name !== 'steps' &&
      index < s.run.tasks.length
    ) {
      void ctx.run(`Task ${index + 1} parameters`, () => ctx.lab.setEnvParams(index, taskParams(t)));
    }
  };

  let structure = '';
  const render = (d: DraftSequence, envs: readonly EnvInfo[]): void => {
    const key = d.tasks.map((t) => `${t.key}:${t.envId}`).join(',') + `|${envs.length}`;
    if (key !== structure) {
      structure = key;
      replaceChildren(
        list,
        d.tasks.map((_, i) => taskRow(i, d, envs)),
      );
    }
    // Same structure: refresh values of fields not being edited, and every error message.
    d.tasks.forEach((t, i) => {
      const row = list.children[i];
      if (!row) return;
      for (const input of row.querySelectorAll<HTMLInputElement>('input[data-field]')) {
        const f = input.dataset.field!;
        const v = f === 'label' ? t.label : f === 'steps' ? t.steps : (t.params[f] ?? '');
        if (document.activeElement !== input && input.value !== v) input.value = v;
        const err = t.errors[f];
        input.classList.toggle('invalid', err !== undefined);
        const out = row.querySelector(`[data-error-for="${f}"]`);
        if (out) setText(out, err ?? '');
      }
    });
    const errors = draftErrors(d);
    setText(
      summary,
      errors.length > 0
        ? d.tasks.length === 0
          ? 'Add at least one task before starting.'
          : `${errors.length} problem${errors.length > 1 ? 's' : ''}: fix the fields in red before starting.`
        : '',
    );
    const tuned = tunedFor(d);
    setText(
      tuning,
      tuned !== null
        ? `DQN and λ tuned for “${tuned}”.`
        : 'Generic DQN settings: the tasks are not all from one built-in sequence.',
    );
    // What the built-in shows and how long it takes: only while the draft is that built-in, unedited.
    const picked = store.state.info?.sequences.find((q) => q.name === d.baseName);
    setText(
      about,
      picked
        ? [picked.demonstrates, picked.duration ? `Duration: ${picked.duration}` : '']
            .filter((x) => x)
            .join(' ')
        : '',
    );
    if (d.baseName !== null && baseSelect.value !== d.baseName) baseSelect.value = d.baseName;
    if (d.baseName === null) baseSelect.value = '';
  };

  const taskRow = (i: number, d: DraftSequence, envs: readonly EnvInfo[]): HTMLElement => {
    const t = d.tasks[i]!;
    const env = envs.find((e) => e.id === t.envId);
    const envSelect = h(
      'select',
      {
        testid: `seq-env-${i}`,
        onchange: () => store.dispatch({ type: 'ui/draft-env', index: i, envId: envSelect.value }),
      },
      ...envs.map((e) => h('option', { value: e.id, selected: e.id === t.envId }, e.id)),
    );
    if (!env) envSelect.append(h('option', { value: t.envId, selected: true }, `${t.envId} (unknown)`));
    const input = (
      name: string,
      value: string,
      placeholder: string,
      testid: string,
      extra: Record<string, unknown> = {},
    ): HTMLElement => {
      const el = h('input', {
        type: 'text',
        value,
        placeholder,
        testid,
        'data-field': name,
        spellcheck: 'false',
        oninput: () => field(i, name, el.value),
        ...extra,
      });
      return h(
        'div',
        { class: 'field compact' },
        el,
        h('div', { class: 'field-error', 'data-error-for': name, testid: `${testid}-error` }),
      );
    };
    const params = (env?.params ?? []).map((p) =>
      h(
        'label',
        {
          class: 'param',
          title: `${p.description} (${p.min} … ${p.max}${p.integer ? ', whole number' : ''})`,
        },
        h('span', { class: 'param-name' }, p.name),
        input(p.name, t.params[p.name] ?? '', String(p.default), `seq-param-${i}-${p.name}`),
      ),
    );
    return h(
      'li',
      { class: 'seq-task', testid: `seq-task-${i}` },
      h(
        'div',
        { class: 'seq-head' },
        h('span', { class: 'seq-index' }, String(i + 1)),
        envSelect,
        h(
          'button',
          {
            class: 'icon',
            title: 'Move up',
            testid: `seq-up-${i}`,
            disabled: i === 0,
            onclick: () => store.dispatch({ type: 'ui/draft-move', index: i, delta: -1 }),
          },
          '↑',
        ),
        h(
          'button',
          {
            class: 'icon',
            title: 'Move down',
            testid: `seq-down-${i}`,
            disabled: i === d.tasks.length - 1,
            onclick: () => store.dispatch({ type: 'ui/draft-move', index: i, delta: 1 }),
          },
          '↓',
        ),
        h(
          'button',
          {
            class: 'icon danger',
            title: 'Remove',
            testid: `seq-remove-${i}`,
            onclick: () => store.dispatch({ type: 'ui/draft-remove', index: i }),
          },
          '×',
        ),
      ),
      h(
        'div',
        { class: 'row two' },
        input('label', t.label, 'label', `seq-label-${i}`),
        input('steps', t.steps, 'steps', `seq-steps-${i}`, { inputmode: 'numeric' }),
      ),
      params.length > 0
        ? h('details', { class: 'params' }, h('summary', {}, `Parameters (${params.length})`), ...params)
        : null,
      h(
        'details',
        { class: 'params', testid: `seq-settings-${i}` },
        h('summary', {}, t.dqn ? 'Training: its own settings' : "Training: the sequence's settings"),
        h(
          'div',
          { class: 'muted small' },
          t.settings ??
            (tunedFor(d) !== null
              ? `The DQN settings tuned for “${tunedFor(d)}”.`
              : 'The generic DQN settings (this task was added or its environment changed).'),
        ),
      ),
    );
  };

  store.select(
    (s) => s.info,
    (info) => {
      replaceChildren(baseSelect, [
        h('option', { value: '' }, 'custom'),
        ...(info?.sequences ?? []).map((q) => h('option', { value: q.name, title: q.description }, q.name)),
      ]);
      replaceChildren(
        addEnv,
        (info?.envs ?? []).map((e) => h('option', { value: e.id, title: e.description }, e.id)),
      );
      structure = '';
      render(store.state.draft, info?.envs ?? []);
    },
  );
  store.select(
    (s) => s.draft,
    (d) => render(d, store.state.info?.envs ?? []),
  );

  return panel(
    'Sequence',
    'sequence-editor',
    h('div', { class: 'field' }, h('label', {}, 'Start from'), baseSelect),
    about,
    list,
    h('div', { class: 'row add-row' }, addEnv, addBtn),
    summary,
    tuning,
  );
}
