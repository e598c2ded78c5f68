// Pacer (steps per chunk for max / real-time / fixed speeds) and Throttle (the view's rate limit).
import { describe, expect, it } from 'vitest';
import { CHUNK_MS, MAX_CHUNK_STEPS, Pacer, realtimeStepsPerSec, Throttle } from '../../src/trainer/pacer';

describe('Pacer', () => {
  it('sizes max-speed chunks to about CHUNK_MS from the measured step time', () => {
    const p = new Pacer();
    p.setSpeed({ mode: 'max' });
    for (let i = 0; i < 30; i++) p.observe(100, 50); // 0.5 ms per step
    expect(p.next(0, 50).steps).toBe(Math.round(CHUNK_MS / 0.5));
    for (let i = 0; i < 60; i++) p.observe(100, 0); // unmeasurably fast: capped
    expect(p.next(0, 50).steps).toBe(MAX_CHUNK_STEPS);
    for (let i = 0; i < 60; i++) p.observe(1, 500); // very slow steps: at least one
    expect(p.next(0, 50).steps).toBe(1);
  });

  it('runs fixed and real-time speeds at their rate, waiting in between', () => {
    const p = new Pacer();
    p.setSpeed({ mode: 'fixed', stepsPerSecond: 20 });
    let steps = 0;
    for (let t = 0; t <= 1000; t += 10) steps += p.next(t, 50).steps;
    expect(steps).toBeGreaterThanOrEqual(20);
    expect(steps).toBeLessThanOrEqual(22);
    p.setSpeed({ mode: 'realtime' });
    expect(p.next(0, realtimeStepsPerSec('Gridworld')).steps).toBe(1);
    const wait = p.next(1, realtimeStepsPerSec('Gridworld'));
    expect(wait.steps).toBe(0);
    expect(wait.waitMs).toBeGreaterThan(90);
    expect(wait.waitMs).toBeLessThanOrEqual(100);
  });

  it('does not burst after a stall', () => {
    const p = new Pacer();
    p.setSpeed({ mode: 'fixed', stepsPerSecond: 100 });
    p.next(0, 50);
    expect(p.next(60_000, 50).steps).toBeLessThanOrEqual(10); // at most 100 ms worth
  });
});

describe('Throttle', () => {
  it('lets one call through per interval, and reset forces the next', () => {
    const t = new Throttle(33);
    expect(t.due(0)).toBe(true);
    expect(t.due(10)).toBe(false);
    expect(t.due(33)).toBe(true);
    t.reset();
    expect(t.due(34)).toBe(true);
  });

  it('takes a longer interval per call when given one', () => {
    const t = new Throttle(33);
    expect(t.due(0, 66)).toBe(true);
    expect(t.due(40, 66)).toBe(false);
    expect(t.due(40)).toBe(true);
    expect(t.due(100, 66)).toBe(false);
    expect(t.due(106, 66)).toBe(true);
  });
});
