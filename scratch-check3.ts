import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/tf/backend';
await initBackend({ force: (process.argv[2] ?? 'cpu') as 'cpu' });
const idx = tf.tensor1d([1, 0, 1, 1], 'int32');
console.log('oneHot f32', tf.oneHot(idx, 2, 1, 0, 'float32').dataSync());
console.log('oneHot int', tf.oneHot(idx, 2).dataSync());
const q = tf.tensor2d([[1, 2], [3, 1], [0, 5], [2, 2.5]]);
console.log('argmax', tf.argMax(q, 1).dataSync());
