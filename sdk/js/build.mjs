// Builds the snippet's two parts from src/ and copies them to the WordPress plugin, which ships the same
// files: dist/pertinent.min.js (every page: events, consent, visitor id) and dist/pertinent-slots.min.js
// (decide and render, loaded only where a page has slots). Each is its entry module and everything it
// imports, joined in dependency order inside one function, then minified by terser (which also drops the
// functions a part does not use). `node build.mjs --check` writes nothing and fails when a copy is stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const here = dirname(fileURLToPath(import.meta.url));
const PLUGIN_JS = join(here, '..', '..', 'wp-plugin', 'pertinent', 'assets', 'js');
// Built file name -> entry module in src/.
export const PARTS = { 'pertinent.min.js': 'main', 'pertinent-slots.min.js': 'slots-main' };
export const dist = (name) => join(here, 'dist', name);
export const pluginCopy = (name) => join(PLUGIN_JS, name);

// The entry's modules, each after the ones it imports (src/ modules only import each other, by './x.js').
export function modules(entry) {
  const order = [];
  const visit = (m) => {
    if (order.includes(m)) return;
    const src = readFileSync(join(here, 'src', m + '.js'), 'utf8');
    for (const [, dep] of src.matchAll(/^import .* from '\.\/([\w-]+)\.js';$/gm)) visit(dep);
    order.push(m);
  };
  visit(entry);
  return order;
}

// Dropping import lines and `export` keywords is then a full bundle.
export function bundle(entry) {
  const parts = modules(entry).map((m) => {
    const src = readFileSync(join(here, 'src', m + '.js'), 'utf8');
    return src.replace(/^import .*;$/gm, '').replace(/^export /gm, '');
  });
  return '(() => {\n' + parts.join('\n') + '\n})();\n';
}

export async function build(name) {
  const out = await minify(bundle(PARTS[name]), {
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true },
    mangle: true,
    format: { comments: false },
  });
  return out.code + '\n';
}

async function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const name of Object.keys(PARTS)) {
    const code = await build(name);
    for (const p of [dist(name), pluginCopy(name)]) {
      if (check) {
        let old = null;
        try {
          old = readFileSync(p, 'utf8');
        } catch (e) { /* missing counts as stale */ }
        if (old !== code) stale.push(p);
        continue;
      }
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, code);
    }
    if (!check) console.log(`built dist/${name} (${code.length} bytes) and copied it to the plugin`);
  }
  if (stale.length) {
    console.error('out of date with src/ (run `npm run build` in sdk/js):\n  ' + stale.join('\n  '));
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
