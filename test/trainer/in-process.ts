/** Test helper: a TrainerChild backed by an in-process TrainerService with the fake engine. */
import { memoryPortPair } from '../../src/trainer/port';
import { TrainerService } from '../../src/trainer/service';
import type { TrainerChild } from '../../src/trainer/host';
import { resimulateAll } from '../../src/session/resimulate';
import { fakeFactory } from './fake-engine';

/** A TrainerService's options for tests: the fake engine (unless `factory`), a forced cpu backend, no envs. */
export function testServiceOptions(
  port: ConstructorParameters<typeof TrainerService>[0]['port'],
  sessionsRoot: string,
  factory: ConstructorParameters<typeof TrainerService>[0]['factory'] = fakeFactory(),
): ConstructorParameters<typeof TrainerService>[0] {
  return {
    port,
    factory,
    initBackend: async () => ({
      backend: 'cpu',
      forced: true,
      skipped: [],
      details: {},
      tfjsVersion: '4.22.0',
    }),
    describe: () => ({ envs: [], strategies: [], sequences: [], versions: { app: 'test' } }),
    sessionsRoot,
    resimulate: (e) => resimulateAll(e).frames.map((f) => f.snapshot),
  };
}

export function inProcessTrainer(
  sessionsRoot: string,
): TrainerChild & { service: TrainerService; received: unknown[] } {
  const { trainer, host } = memoryPortPair();
  const service = new TrainerService(testServiceOptions(trainer, sessionsRoot));
  const exitHandlers: ((code: number | null) => void)[] = [];
  let alive = true;
  const received: unknown[] = [];
  return {
    service,
    received,
    send: (m) => {
      received.push(m);
      if (alive) host.send(m);
    },
    onMessage: (h) =>
      host.onMessage((raw) => {
        if (alive) h(raw);
      }),
    onExit: (h) => exitHandlers.push(h),
    kill: () => {
      if (!alive) return;
      alive = false;
      service.close();
      setImmediate(() => exitHandlers.forEach((h) => h(null)));
    },
  };
}
