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
  /** Awaits a command; on failure shows "<what>: <message>" and resolves undefined. */
  run<T>(what: string, command: () => Promise<T>): Promise<T | undefined>;
}

export function createContext(store: Store<AppState, Action>, lab: LabApi): AppContext {
  return {
    store,
    lab,
    async run<T>(what: string, command: () => Promise<T>): Promise<T | undefined> {
      try {
        return await command();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        store.dispatch({ type: 'ui/notice', kind: 'error', message: `${what}: ${message}` });
        return undefined;
      }
    },
  };
}
