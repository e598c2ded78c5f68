// The CLI entry: --help for the program and its commands, `info` output, and clear errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli', () => {
  it('--help lists the commands', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: lab/);
    expect(stdout).toMatch(/info/);
  });

  it('info --help describes the command', () => {
    const { code, stdout } = cli(['info', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: lab info/);
  });

  it('info prints versions, the backend and why earlier rungs were skipped', () => {
    const { code, stdout } = cli(['info']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^node\s+\d+\.\d+\.\d+$/m);
    expect(stdout).toMatch(/^tfjs\s+4\.22\.0$/m);
    expect(stdout).toMatch(/^electron\s+\d+\./m);
    expect(stdout).toMatch(/^cores\s+\d+$/m);
    const backend = /^backend\s+(\w+)/m.exec(stdout)?.[1];
    expect(['tensorflow', 'wasm']).toContain(backend);
    if (backend === 'wasm') expect(stdout).toMatch(/^skipped tensorflow\s+.*tfjs-node/m);
  });

  it('info --json prints one JSON line', () => {
    const { code, stdout } = cli(['info', '--json']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as { backend: { backend: string }; tfjs: string };
    expect(parsed.tfjs).toBe('4.22.0');
    expect(typeof parsed.backend.backend).toBe('string');
  });

  it('an unavailable forced backend fails with one clear sentence', () => {
    const { code, stderr } = cli(['info'], { LAB_BACKEND: 'nonsense' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/LAB_BACKEND must be one of tensorflow, wasm, cpu/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown command is a usage error', () => {
    const { code, stderr } = cli(['bogus']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command 'bogus'/);
  });
});
