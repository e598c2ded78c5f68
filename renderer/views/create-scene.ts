/** Builds the Scene that draws a given snapshot kind (one file per environment family). */
import { AcrobotScene } from './acrobot-scene';
import { CartPoleScene } from './cartpole-scene';
import { GridworldScene } from './gridworld-scene';
import { MountainCarScene } from './mountain-car-scene';
import type { Scene, SnapshotKind } from './scene';

export function createScene(kind: SnapshotKind): Scene {
  switch (kind) {
    case 'CartPole':
      return new CartPoleScene() as Scene;
    case 'MountainCar':
      return new MountainCarScene() as Scene;
    case 'Acrobot':
      return new AcrobotScene() as Scene;
    case 'Gridworld':
      return new GridworldScene() as Scene;
  }
}

/** Gymnasium's `render_fps` per family (Minigrid's 10 for gridworlds): the pace of "real time". */
export const NATURAL_FPS: Record<SnapshotKind, number> = {
  CartPole: 50,
  MountainCar: 30,
  Acrobot: 15,
  Gridworld: 10,
};
