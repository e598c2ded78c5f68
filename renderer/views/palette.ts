/**
 * Colours of the live views: Gymnasium's render colours (pole tan, axle violet, acrobot cyan links with
 * yellow joints, mountain-car flag yellow, Minigrid's grid objects) set on the app's dark theme.
 */
export const PALETTE = {
  background: 0x0f151d,
  ground: 0x2a3441,
  groundLine: 0x5c6b7d,
  grid: 0x1d2631,
  text: 0xc9d3df,
  textDim: 0x7d8a99,
  danger: 0xe5534b,
  // CartPole (gymnasium classic_control/cartpole.py)
  cart: 0xd9dee5,
  pole: 0xca9865,
  axle: 0x8184cb,
  // MountainCar
  hillFill: 0x1a2b23,
  hillLine: 0x7fb38f,
  car: 0xd9dee5,
  wheel: 0x808080,
  flag: 0xcccc00,
  // Acrobot
  link: 0x00cccc,
  joint: 0xcccc00,
  target: 0x5c6b7d,
  // Minigrid-like gridworld
  floor: 0x0b0f14,
  gridLine: 0x262f3a,
  wall: 0x646464,
  lava: 0xff8000,
  lavaWave: 0x301500,
  goal: 0x2fbf4f,
  key: 0xffd400,
  door: 0xffd400,
  agent: 0xff3b30,
  // Overlays
  bar: 0x3d8bfd,
  barBest: 0x57d38c,
  arrow: 0xffffff,
} as const;
