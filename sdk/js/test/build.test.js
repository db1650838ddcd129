import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DIST, PLUGIN_COPY, build } from '../build.mjs';

// "Under 3 KB gzipped" from the issue, read strictly: 3000 bytes (tests/sdk checks Python's gzip too).
const BUDGET = 3000;

test('dist is up to date with src and the plugin ships the same file', async () => {
  const fresh = await build();
  assert.equal(readFileSync(DIST, 'utf8'), fresh, 'sdk/js/dist is stale: run `npm run build` in sdk/js');
  assert.equal(readFileSync(PLUGIN_COPY, 'utf8'), fresh, 'the plugin copy differs from sdk/js/dist');
});

test(`the minified snippet stays under ${BUDGET} bytes gzipped`, () => {
  const code = readFileSync(DIST);
  const gz = gzipSync(code, { level: 9 }).length;
  assert.ok(gz < BUDGET, `${gz} bytes gzipped (budget ${BUDGET})`);
});

test('the bundle has no import/export left and parses as a classic script', () => {
  const code = readFileSync(DIST, 'utf8');
  assert.doesNotMatch(code, /\bimport\s*[{*]|\bexport\s/);
  assert.doesNotThrow(() => new Function(code));
});
