// Build installers with electron-builder from electron-builder.json.
//   node scripts/package.mjs --win | --mac | --linux [--dir] [--publish] [--presets=<hi-msg.config.json>]
//                            [--electron-dist=<folder>] [--output=<folder>] [--project=<folder>]
// --presets bakes an IT preset file into the app's resources folder (the app's last place to look).
// Signing comes from the environment (CSC_LINK / CSC_KEY_PASSWORD, WIN_CSC_LINK, CSC_NAME, Azure
// Trusted Signing). Without it the artifacts are named …-UNSIGNED and a warning is printed; with it,
// a signing failure stops the build instead of shipping an unsigned file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import builder from 'electron-builder';
import { signingPlan, unsignedArtifactName } from './signing.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// --project lets CI package a copy of the built app, away from a dist/ being rebuilt meanwhile.
const projectDir = option('project') ?? fileURLToPath(new URL('..', import.meta.url));

// electron-builder loads electron-builder.json itself; `overrides` is merged on top of it.
const base = JSON.parse(readFileSync(join(projectDir, 'electron-builder.json'), 'utf8'));
const require = createRequire(import.meta.url);
const overrides = { electronVersion: require('electron/package.json').version };
const plan = signingPlan(process.env);
// The app sets its feed at run time (IT preset, else <server>/updates/); the URL baked in here only
// names where latest.yml is published, so a placeholder is fine when none is given.
process.env.HI_MSG_UPDATE_URL ||= 'https://updates.invalid/hi-msg/';
const platforms = ['win', 'mac', 'linux'].filter(flag);
if (platforms.length === 0) platforms.push({ win32: 'win', darwin: 'mac' }[process.platform] ?? 'linux');

const warn = (msg) => console.warn(`\n\x1b[41;97m UNSIGNED \x1b[0m ${msg}\n`);
let signing = false;
for (const p of platforms) {
  if (p === 'linux') continue; // AppImage and deb are trusted through the repository or checksum IT publishes.
  if (plan[p]) {
    signing = true;
    continue;
  }
  overrides[p] = { artifactName: unsignedArtifactName(base.artifactName), ...(p === 'mac' ? { identity: null } : {}) };
  warn(`No ${p === 'win' ? 'WIN_CSC_LINK / CSC_LINK / Azure signing' : 'CSC_LINK / CSC_NAME'} in the environment: the ${p} artifacts are NOT code-signed and are named *-UNSIGNED. Do not distribute them.`);
}
if (platforms.includes('mac') && plan.mac && !plan.macNotarize) warn('No Apple notarization credentials: the macOS build is signed but not notarized.');
overrides.forceCodeSigning = signing;
if (option('electron-dist')) overrides.electronDist = option('electron-dist');
if (option('output')) overrides.directories = { output: option('output') };
if (option('presets')) {
  // Fail here rather than ship an installer whose presets the app would ignore.
  JSON.parse(readFileSync(option('presets'), 'utf8').replace(/^\uFEFF/, ''));
  overrides.extraResources = [{ from: resolve(option('presets')), to: 'hi-msg.config.json' }];
}

const targetFor = { win: builder.Platform.WINDOWS, mac: builder.Platform.MAC, linux: builder.Platform.LINUX };
const targets = new Map();
for (const p of platforms) {
  const t = targetFor[p].createTarget(flag('dir') ? 'dir' : undefined, ...(flag('dir') ? [builder.Arch.x64] : []));
  for (const [k, v] of t) targets.set(k, v);
}

const files = await builder.build({ projectDir, config: overrides, targets, publish: flag('publish') ? 'always' : 'never' });
console.log(files.join('\n'));
