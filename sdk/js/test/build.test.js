import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { PARTS, build, dist, modules, pluginCopy } from '../build.mjs';

// "Under 3 KB gzipped" from the issue, read strictly: 3000 bytes for what every page loads (tests/sdk checks
// Python's gzip too). The slots part loads only where there are slots; both together stay a few KB.
const EVERY_PAGE = 3000;
const BOTH = 5000;
const gz = (name) => gzipSync(readFileSync(dist(name)), { level: 9 }).length;

for (const name of Object.keys(PARTS)) {
  test(`dist/${name} is up to date with src and the plugin ships the same file`, async () => {
    const fresh = await build(name);
    assert.equal(readFileSync(dist(name), 'utf8'), fresh, `dist/${name} is stale: run \`npm run build\` in sdk/js`);
    assert.equal(readFileSync(pluginCopy(name), 'utf8'), fresh, `the plugin copy of ${name} differs from dist`);
  });

  test(`${name} has no import/export left and parses as a classic script`, () => {
    const code = readFileSync(dist(name), 'utf8');
    assert.doesNotMatch(code, /\bimport\s*[{*]|\bexport\s/);
    assert.doesNotThrow(() => new Function(code));
  });
}

test(`what every page loads stays under ${EVERY_PAGE} bytes gzipped`, () => {
  const size = gz('pertinent.min.js');
  assert.ok(size < EVERY_PAGE, `${size} bytes gzipped (budget ${EVERY_PAGE})`);
});

test(`both parts together stay under ${BOTH} bytes gzipped`, () => {
  const size = gz('pertinent.min.js') + gz('pertinent-slots.min.js');
  assert.ok(size < BOTH, `${size} bytes gzipped (budget ${BOTH})`);
});

test('decide and render are only in the slots part', () => {
  assert.deepEqual(modules('main').filter((m) => ['decide', 'render', 'slots'].includes(m)), []);
  for (const m of ['decide', 'render', 'slots']) assert.ok(modules('slots-main').includes(m), m);
  // Modules come after what they import.
  const order = modules('slots-main');
  assert.ok(order.indexOf('config') < order.indexOf('decide') && order.indexOf('decide') < order.indexOf('slots'));
  assert.doesNotMatch(readFileSync(dist('pertinent.min.js'), 'utf8'), /IntersectionObserver|\/decide/);
});
