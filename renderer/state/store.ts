/**
 * A minimal observable store: `dispatch(action)` runs the reducer, `subscribe` hears every change, `select`
 * hears only when a selected slice changes (compared with Object.is, which immer's structural sharing makes
 * meaningful). Listener errors are caught and reported so one broken view never stops the others.
 */

export type Listener<S> = (state: S, previous: S) => void;

export class Store<S, A> {
  private current: S;
  private readonly listeners = new Set<Listener<S>>();

  constructor(
    initial: S,
    private readonly reducer: (state: S, action: A) => S,
    private readonly onListenerError: (error: unknown) => void = (e) => console.error(e),
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  dispatch(action: A): void {
    const previous = this.current;
    const next = this.reducer(previous, action);
    if (next === previous) return;
    this.current = next;
    for (const l of [...this.listeners]) {
      try {
        l(next, previous);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: Listener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener(value)` now and whenever `selector(state)` returns a different value (Object.is, or
   * `equals` when given). Returns the unsubscribe function.
   */
  select<T>(
    selector: (state: S) => T,
    listener: (value: T, previous: T | undefined) => void,
    equals: (a: T, b: T) => boolean = Object.is,
  ): () => void {
    let last = selector(this.current);
    listener(last, undefined);
    return this.subscribe((state) => {
      const value = selector(state);
      if (equals(value, last)) return;
      const prev = last;
      last = value;
      listener(value, prev);
    });
  }
}
