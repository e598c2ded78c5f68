// The repository stands on its own: no tracked file (code, comments, tests, docs, scripts) points outside it
// to the project's shared folder, so `npm test` on a fresh clone needs nothing next to the checkout; and the
// Gymnasium fixtures the env tests read are committed with a README saying where they come from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = path.relative(ROOT, fileURLToPath(import.meta.url));

/** The sibling folder 'shared' one level up (written with either slash), /work/shared, or a path built from '..' and 'shared'. */
const OUTSIDE = /\.\.[/\\]shared\b|\/work\/shared\b|['"]\.\.['"],\s*['"]shared['"]/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => /\.(ts|js|mjs|cjs|json|md|py|sh|yml|yaml)$|^\.ci\//.test(f))
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
}

it('no file in the repository points outside it to the sibling shared folder', () => {
  const offenders: string[] = [];
  for (const file of trackedFiles()) {
    if (file === SELF || file === 'package-lock.json') continue;
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (OUTSIDE.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
});

it('the Gymnasium reference transitions are committed fixtures with a README naming their source', () => {
  const dir = path.join(ROOT, 'test', 'envs', 'fixtures');
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  expect(readme).toMatch(/produced by Gymnasium/i);
  for (const name of ['gymnasium-classic-control-steps.json', 'gymnasium-extra-steps.json']) {
    expect(readme).toContain(name);
    const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown[]>;
    expect(Object.keys(data).sort()).toEqual(['Acrobot-v1', 'CartPole-v1', 'MountainCar-v0']);
  }
});
