import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ (README: "How it is organised"). Each rule names a folder and the folders it
 * must not import from, types included: a type import is still a dependency a reader has to follow.
 */
const RULES: { from: string; not: string[]; why: string }[] = [
  { from: 'routes', not: ['routes'], why: 'routes are thin adapters; what two routes share is a service' },
  { from: 'views', not: ['db', 'routes'], why: 'views render what a service hands them' },
  { from: 'lib', not: ['domain', 'db', 'services', 'routes'], why: 'lib is plumbing that knows no use case' },
  { from: 'domain', not: ['db', 'services', 'routes', 'views', 'middleware'], why: 'domain logic is pure: no I/O' },
  { from: 'db', not: ['services', 'routes', 'views'], why: 'storage knows nothing of its callers' },
  { from: 'services', not: ['routes', 'middleware'], why: 'a use case serves routes, the queue and the cron alike' },
  { from: 'env.ts', not: ['services', 'routes'], why: 'the environment type is a leaf' },
];

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top-level part of src/ a path lies in: "routes", "domain", "env.ts". */
const layerOf = (path: string): string => relative(SRC, path).split(/[\\/]/)[0] as string;

/** Every relative import and re-export of a file, with the src/ layer it reaches. */
function importsOf(file: string): { target: string; layer: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { target: string; layer: string }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    const target = normalize(join(dirname(file), m[1] as string));
    if (!relative(SRC, target).startsWith('..')) found.push({ target: relative(SRC, target), layer: layerOf(target) });
  }
  return found;
}

describe('imports between the layers of src/', () => {
  const files = sourceFiles(SRC);

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf(join(SRC, 'index.ts')).some((i) => i.layer === 'routes')).toBe(true);
  });

  for (const rule of RULES) {
    it(`${rule.from} imports nothing from ${rule.not.join(', ')} (${rule.why})`, () => {
      const broken = files
        .filter((f) => layerOf(f) === rule.from)
        .flatMap((f) =>
          importsOf(f)
            .filter((i) => rule.not.includes(i.layer))
            .map((i) => `${relative(SRC, f)} -> ${i.target}`),
        );
      expect(broken).toEqual([]);
    });
  }
});
