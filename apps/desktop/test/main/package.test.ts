import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { beforeAll, describe, expect, it } from 'vitest';
import { signingPlan, unsignedArtifactName } from '../../scripts/signing.mjs';
import { PRESET_FILE, readPresets } from '../../src/main/presets';
import { tempDir } from './helpers';

/**
 * Packages the app the way a release does, with a placeholder Electron (the real binary cannot be
 * downloaded here): electron-builder validates the config, writes app.asar and flips the fuses in
 * the placeholder, which carries the fuse wire of a stock Electron.
 */
const desktop = resolve(__dirname, '../..');
const config = JSON.parse(readFileSync(join(desktop, 'electron-builder.json'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  files: string[];
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  mac: Record<string, unknown>;
  protocols: { schemes: string[] }[];
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Stock Electron: RunAsNode, NODE_OPTIONS, inspect and file:// privileges on; the rest off.
const STOCK_WIRE = '10110001';
const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];

let out: string;
let entries: string[];
let asarPath: string;

beforeAll(() => {
  const work = tempDir();
  const project = join(work, 'project');
  mkdirSync(join(project, 'dist'), { recursive: true });
  cpSync(join(desktop, 'electron-builder.json'), join(project, 'electron-builder.json'));
  cpSync(join(desktop, 'build'), join(project, 'build'), { recursive: true });
  // The packaged app runs from bundles alone: no dependencies to collect.
  const pkg = JSON.parse(readFileSync(join(desktop, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const k of ['dependencies', 'devDependencies', 'scripts']) delete pkg[k];
  writeFileSync(join(project, 'package.json'), JSON.stringify(pkg, null, 2));

  execFileSync(process.execPath, [join(desktop, 'scripts/build-main.mjs'), `--out=${join(project, 'dist')}`], { cwd: desktop, stdio: 'pipe' });
  if (existsSync(join(desktop, 'dist/renderer/index.html'))) {
    cpSync(join(desktop, 'dist/renderer'), join(project, 'dist/renderer'), { recursive: true });
  } else {
    execFileSync(join(desktop, 'node_modules/.bin/vite'), ['build', '--outDir', join(project, 'dist/renderer'), '--emptyOutDir'], { cwd: desktop, stdio: 'pipe' });
  }
  // A source file and a test next to the bundles must not leak into the package.
  writeFileSync(join(project, 'dist/main/leak.test.ts'), 'export {}');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'src/secret.ts'), 'export {}');

  const electronDist = join(work, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(STOCK_WIRE)]), { mode: 0o755 });

  writeFileSync(join(work, 'presets.json'), JSON.stringify({ serverUrl: 'https://chat.corp.example', lockedKeys: ['serverUrl'] }));
  out = join(work, 'out');
  execFileSync(
    process.execPath,
    [join(desktop, 'scripts/package.mjs'), '--linux', '--dir', `--project=${project}`, `--electron-dist=${electronDist}`, `--output=${out}`, `--presets=${join(work, 'presets.json')}`],
    { cwd: desktop, stdio: 'pipe', env: { ...process.env, CSC_LINK: '', WIN_CSC_LINK: '' } },
  );
  asarPath = join(out, 'linux-unpacked/resources/app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
}, 240_000);

describe('the packaged app', () => {
  it('holds the built main, preload and renderer and its package.json', () => {
    expect(entries).toContain('/package.json');
    expect(entries).toContain('/dist/main/index.js');
    expect(entries).toContain('/dist/preload/index.js');
    expect(entries).toContain('/dist/renderer/index.html');
    expect(entries.some((e) => /^\/dist\/renderer\/assets\/.+\.js$/.test(e))).toBe(true);
    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString()) as { main: string; productName: string };
    expect(pkg.main).toBe('dist/main/index.js');
    // Electron names the app (userData, logs, notifications) after productName.
    expect(pkg.productName).toBe('Hi_Msg');
  });

  it('holds no sources, tests, source maps or node_modules', () => {
    const bad = entries.filter((e) => /\.(ts|tsx|map)$/.test(e) || /\/(node_modules|src|test|e2e)(\/|$)/.test(e) || /\.test\./.test(e));
    expect(bad).toEqual([]);
    // Everything is under dist/ except package.json.
    expect(entries.filter((e) => !e.startsWith('/dist') && e !== '/package.json')).toEqual([]);
  });

  it('main needs nothing at run time but Electron and Node built-ins; the preload is one file needing only Electron', () => {
    const required = (file: string): string[] => [...extractFile(asarPath, file).toString().matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(required('dist/main/index.js').filter((m) => m !== 'electron' && !builtins.has(m))).toEqual([]);
    expect(new Set(required('dist/preload/index.js'))).toEqual(new Set(['electron']));
  });

  it('the fuses are flipped in the packaged binary', () => {
    const binary = readFileSync(join(out, 'linux-unpacked/hi-msg'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    expect(binary[at]).toBe(1);
    const wire = binary.subarray(at + 2, at + 2 + binary[at + 1]!).toString();
    const state = Object.fromEntries(FUSE_ORDER.map((name, i) => [name, wire[i] === '1']));
    expect(state).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('carries the IT presets baked in at build time, where the app reads them', () => {
    const file = join(out, 'linux-unpacked/resources', PRESET_FILE);
    expect(readPresets([file])).toEqual({ serverUrl: 'https://chat.corp.example', locked: ['serverUrl'], source: file });
  });

  it('ships the update feed location beside the asar', () => {
    expect(readFileSync(join(out, 'linux-unpacked/resources/app-update.yml'), 'utf8')).toContain('provider: generic');
  });
});

describe('the installer configuration', () => {
  it('sets the fuses, packs only the bundles and never rebuilds native modules', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(config.files.filter((f) => !f.startsWith('!'))).toEqual(['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'package.json']);
  });

  it('builds per-user or per-machine NSIS, a per-machine MSI, hardened macOS and registers hi-msg://', () => {
    expect(config.appId).toBe('com.himsg.desktop');
    expect(config.productName).toBe('Hi_Msg');
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.mac).toMatchObject({ hardenedRuntime: true });
    expect(config.protocols[0]!.schemes).toEqual(['hi-msg']);
  });

  it('labels a build without a certificate UNSIGNED', () => {
    expect(signingPlan({})).toEqual({ win: false, mac: false, macNotarize: false });
    expect(signingPlan({ CSC_LINK: ' ' }).win).toBe(false);
    expect(signingPlan({ WIN_CSC_LINK: 'C:/certs/company.pfx' })).toMatchObject({ win: true, mac: false });
    expect(signingPlan({ CSC_LINK: 'https://vault/cert.p12', APPLE_API_KEY: 'k', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 'x' })).toEqual({ win: true, mac: true, macNotarize: true });
    expect(signingPlan({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' }).win).toBe(true);
    expect(unsignedArtifactName('${productName}-${version}-${os}-${arch}.${ext}')).toBe('${productName}-${version}-${os}-${arch}-UNSIGNED.${ext}');
  });
});
