#!/usr/bin/env node
/**
 * `npm run bench -- <name>`: speed and memory are measured here, never by timed
 * assertions in tests. Each figure is printed next to a ceiling measured in the same run
 * (the same work without Meridian's part), as a ratio, because these machines are shared
 * and noisy. Benches run against the built libraries (`npm run build` first).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .map((f) => f.replace(/\.bench\.mjs$/, ''));
const name = process.argv[2];
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${benches.join(', ')})`);
  process.exit(2);
}
await import(pathToFileURL(path.join(here, `${name}.bench.mjs`)).href);
