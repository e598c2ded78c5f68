/**
 * The trainer process's link to its host, abstracted over the two ways it can be started:
 * `child_process.fork` (web shell, tests: `process.send` / `process.on('message')`) and Electron's
 * `utilityProcess.fork` (`process.parentPort.postMessage` / `parentPort.on('message', e => e.data)`).
 * Messages are plain JSON-compatible objects; validation happens above this layer.
 */

export interface TrainerPort {
  send(message: unknown): void;
  onMessage(handler: (raw: unknown) => void): void;
  /** Called when the host goes away (IPC channel closed). */
  onDisconnect(handler: () => void): void;
}

/** The shape of Electron's `process.parentPort` that we use (typed here so Node code needs no Electron types). */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The port of the current process, or an Error saying how the trainer must be started. */
export function processPort(proc: NodeJS.Process = process): TrainerPort {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data)),
      // A utility process is killed with its parent; there is no disconnect event to hear.
      onDisconnect: () => undefined,
    };
  }
  if (typeof proc.send === 'function') {
    return {
      send: (message) => {
        if (proc.connected) proc.send!(message);
      },
      onMessage: (handler) => proc.on('message', (raw: unknown) => handler(raw)),
      onDisconnect: (handler) => proc.on('disconnect', handler),
    };
  }
  throw new Error(
    'The trainer must be started by a host: child_process.fork (web shell) or utilityProcess.fork (Electron).',
  );
}

/** An in-memory pair of ports (tests, and running the trainer in the host's own process). */
export function memoryPortPair(): { trainer: TrainerPort; host: TrainerPort } {
  const handlers: { trainer: ((raw: unknown) => void)[]; host: ((raw: unknown) => void)[] } = {
    trainer: [],
    host: [],
  };
  const make = (self: 'trainer' | 'host', other: 'trainer' | 'host'): TrainerPort => ({
    // Structured-clone + async delivery, as across a real process boundary.
    send: (message) => {
      const copy = structuredClone(message);
      setImmediate(() => {
        for (const h of handlers[other]) h(copy);
      });
    },
    onMessage: (handler) => handlers[self].push(handler),
    onDisconnect: () => undefined,
  });
  return { trainer: make('trainer', 'host'), host: make('host', 'trainer') };
}
