/** The app's name and version, taken from package.json (the single source of truth). */
import pkg from '../package.json' with { type: 'json' };

export const APP_NAME = 'Continual RL Lab';
export const APP_VERSION: string = pkg.version;
