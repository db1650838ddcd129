// Builds dist/pertinent.min.js from src/ (modules joined in dependency order inside one function, then
// minified by terser) and copies it to the WordPress plugin, which ships the same file.
// `node build.mjs --check` writes nothing and fails when either copy is out of date with src/.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const here = dirname(fileURLToPath(import.meta.url));
export const MODULES = ['config', 'storage', 'consent', 'decide', 'render', 'events', 'spa', 'index', 'main'];
export const DIST = join(here, 'dist', 'pertinent.min.js');
export const PLUGIN_COPY = join(here, '..', '..', 'wp-plugin', 'pertinent', 'assets', 'js', 'pertinent.min.js');

// The modules only import each other, so dropping import lines and `export` keywords is a full bundle.
export function bundle() {
  const parts = MODULES.map((m) => {
    const src = readFileSync(join(here, 'src', m + '.js'), 'utf8');
    return src.replace(/^import .*;$/gm, '').replace(/^export /gm, '');
  });
  return '(() => {\n' + parts.join('\n') + '\n})();\n';
}

export async function build() {
  const out = await minify(bundle(), {
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true },
    mangle: true,
    format: { comments: false },
  });
  return out.code + '\n';
}

async function main() {
  const code = await build();
  if (process.argv.includes('--check')) {
    const stale = [DIST, PLUGIN_COPY].filter((p) => {
      try {
        return readFileSync(p, 'utf8') !== code;
      } catch (e) {
        return true;
      }
    });
    if (stale.length) {
      console.error('out of date with src/ (run `npm run build` in sdk/js):\n  ' + stale.join('\n  '));
      process.exit(1);
    }
    return;
  }
  for (const p of [DIST, PLUGIN_COPY]) {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, code);
  }
  console.log(`built ${DIST} (${code.length} bytes) and copied it to the plugin`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
