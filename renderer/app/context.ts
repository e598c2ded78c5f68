/**
 * What every UI component receives: the store, the LabApi, and `run(label, promise)` which reports a
 * rejected command as a notice (so no failure is silent and no component repeats try/catch boilerplate).
 */
import type { LabApi } from '../../src/protocol/lab-api';
import type { Action } from '../state/actions';
import type { AppState } from '../state/app-state';
import type { Store } from '../state/store';

export interface AppContext {
  store: Store<AppState, Action>;
  lab: LabApi;
  /** The LabApi is the demo's simulated trainer (the header shows a DEMO badge). */
  demo: boolean;
  /** Awaits a command; on failure shows "<what>: <message>" and resolves undefined. */
  run<T>(what: string, command: () => Promise<T>): Promise<T | undefined>;
}

export function createContext(store: Store<AppState, Action>, lab: LabApi, demo = false): AppContext {
  return {
    store,
    lab,
    demo,
    async run<T>(what: string, command: () => Promise<T>): Promise<T | undefined> {
      try {
        const result = await command();
        // It worked: an earlier failure of the same command is no longer true.
        if (store.state.notices.some((n) => n.key === what))
          store.dispatch({ type: 'ui/clear-notices', key: what });
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        store.dispatch({ type: 'ui/notice', kind: 'error', message: `${what}: ${message}`, key: what });
        return undefined;
      }
    },
  };
}
