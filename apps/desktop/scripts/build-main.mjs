// Bundle the main process and the preload into single CommonJS files (dist/main/index.js,
// dist/preload/index.js). Everything but Electron itself is inlined, so the packaged app needs
// no node_modules; the preload must be one file because sandboxed preloads cannot require others.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
// --out=<dir> writes <dir>/main and <dir>/preload instead of dist/ (CI packages a private copy).
const outDir = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? `${root}/dist`;
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

for (const [name, entry] of [
  ['main', 'src/main/index.ts'],
  ['preload', 'src/preload/index.ts'],
]) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['node'], mainFields: ['main', 'module'] },
    build: {
      ssr: entry,
      outDir: `${outDir}/${name}`,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      sourcemap: false,
      rollupOptions: { external, output: { format: 'cjs', entryFileNames: 'index.js', codeSplitting: false } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
}
