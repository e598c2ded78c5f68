/** The shape of a CLI command file: it adds its command, options and action to the program. */
import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}
