// Generates docs/events.md and docs/events.schema.json from the PSA catalog.
//   npm run gen            write both files
//   npm run gen -- --check write nothing; exit 1 naming each stale file (CI)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_TAXONOMY } from '../packages/catalog/src/events/product-usage.js';
import { psaCatalog } from '../packages/catalog/src/events/psa-catalog.js';
import { catalogJsonSchema } from '../packages/catalog/src/export/json-schema.js';
import { catalogMarkdown, GENERATED_MARKER } from '../packages/catalog/src/export/markdown.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const outputs: ReadonlyArray<readonly [path: string, content: string]> = [
  [
    join(root, 'docs', 'events.md'),
    catalogMarkdown(psaCatalog, { featureTaxonomy: FEATURE_TAXONOMY }),
  ],
  [
    join(root, 'docs', 'events.schema.json'),
    // JSON has no comments; `$comment` is the keyword JSON Schema reserves for them.
    `${JSON.stringify({ $comment: GENERATED_MARKER, ...catalogJsonSchema(psaCatalog) }, null, 2)}\n`,
  ],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of outputs) {
  const name = relative(root, path);
  if (check) {
    // Compare ignoring CRLF, so a Windows checkout with autocrlf is not reported as stale.
    const current = existsSync(path) ? readFileSync(path, 'utf8').replaceAll('\r\n', '\n') : null;
    if (current !== content) {
      stale++;
      const why = current === null ? 'is missing' : 'is out of date';
      console.error(`${name} ${why}: run \`npm run gen\` and commit the result`);
    }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${name}`);
  }
}
if (stale > 0) process.exitCode = 1;
else if (check) console.log('generated catalog docs are up to date');
