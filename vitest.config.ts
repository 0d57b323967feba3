import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources, not on dist: every workspace package's export with a
// `source` condition becomes an exact alias (resolve.conditions does not reach packages that
// Vitest loads as external dependencies).
function sourceAliases(): Array<{ find: RegExp; replacement: string }> {
  const aliases: Array<{ find: RegExp; replacement: string }> = [];
  for (const group of ['packages', 'apps']) {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(group);
    } catch {
      continue;
    }
    for (const dir of dirs) {
      const root = resolve(group, dir);
      let pkg: { name?: string; exports?: Record<string, { source?: string }> };
      try {
        pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        if (pkg.name === undefined || target.source === undefined) continue;
        const specifier = pkg.name + subpath.slice(1);
        const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        aliases.push({ find: new RegExp(`^${escaped}$`), replacement: join(root, target.source) });
      }
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
