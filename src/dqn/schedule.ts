/**
 * Linear ε schedule, as Stable-Baselines3's `get_linear_fn`: ε falls linearly from `initial` to `final`
 * over the first `fraction` of training, then stays at `final`.
 */

export interface LinearSchedule {
  initial: number;
  final: number;
  /** Fraction of the total steps over which ε decays (0 = jump straight to `final`). */
  fraction: number;
}

/** ε after `step` of `totalSteps` env steps. */
export function linearEpsilon(schedule: LinearSchedule, step: number, totalSteps: number): number {
  const progress = totalSteps > 0 ? step / totalSteps : 1;
  if (schedule.fraction <= 0 || progress >= schedule.fraction) return schedule.final;
  return schedule.initial + (progress * (schedule.final - schedule.initial)) / schedule.fraction;
}
