// `pnpm bench` (after the build) or `node bench/run.mjs [S1 S2 …]`: runs the scenarios against
// the built server and against the bare relay, prints a table, and writes JSON to bench/results/.
// Not part of the tests. Knobs: BENCH_* environment variables (see docs/BENCHMARKS.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/deps.mjs';
import { LOAD_CORE, SERVER_CORE, pinSelf } from './lib/proc.mjs';

const SCENARIOS = {
  S1: ['connections', () => import('./scenarios/s1-connections.mjs')],
  S2: ['fan-out', () => import('./scenarios/s2-fanout.mjs')],
  S2R: ['fan-out on two processes over Redis', () => import('./scenarios/s2r-scale-out.mjs')],
  S3: ['persisted sends', () => import('./scenarios/s3-persisted.mjs')],
  S4: ['history depth', () => import('./scenarios/s4-history.mjs')],
  S5: ['room list and mark-read', () => import('./scenarios/s5-rooms.mjs')],
  S5D: ['room list with a deep unread history', () => import('./scenarios/s5d-deep-unread.mjs')],
  S6: ['login storm', () => import('./scenarios/s6-login-storm.mjs')],
  S7: ['uploads', () => import('./scenarios/s7-uploads.mjs')],
  S8: ['deletion of a long history', () => import('./scenarios/s8-deletion.mjs')],
  S9: ['changes to a room of 1,000, all online', () => import('./scenarios/s9-big-room.mjs')],
};

function machine() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    nproc: cpus().length,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeH: sh('free', ['-h']),
    node: process.version,
    os: sh('uname', ['-sr']),
    mariadb: sh('mysql', ['-uroot', '-h127.0.0.1', '-N', '-e', 'SELECT VERSION()']),
    redis: sh('redis-cli', ['INFO', 'server'])?.match(/redis_version:(\S+)/)?.[1] ?? null,
    nofile: sh('sh', ['-c', 'ulimit -n']),
  };
}

const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v));

/** The table as Markdown, for docs/BENCHMARKS.md. */
function markdownTable(rows) {
  const cell = (v, unit) => (v === null || v === undefined ? '—' : `${fmt(v)}${unit ? ` ${unit}` : ''}`);
  const out = ['| Scenario | Metric | Hi_Msg | Bare relay | Ratio | Target | Met | Note |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.scenario} | ${r.metric} | ${cell(r.ours, r.unit)} | ${cell(r.bare, r.unit)} | ${fmt(r.ratio)} | ${r.target || ''} | ${r.pass === null ? '' : r.pass ? 'yes' : '**no**'} | ${(r.note || '').replace(/\|/g, '/')} |`);
  return out.join('\n');
}

const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');
const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** After a full run, replace the latest-results block of docs/BENCHMARKS.md. */
function updateDoc(doc, file) {
  if (!existsSync(DOC)) return false;
  const text = readFileSync(DOC, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return false;
  const m = doc.machine;
  const block = [
    START,
    `Run of ${doc.startedAt} (${doc.seconds} s), \`${file}\`: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, MariaDB ${m.mariadb ?? '?'}, Redis ${m.redis ?? '?'}; server pinned to core ${typeof m.pinned === 'object' ? m.pinned.server : '—'}, load generator to core ${typeof m.pinned === 'object' ? m.pinned.loadGenerator : '—'}; load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${doc.loadAverageAtEnd.join(' / ')}.`,
    '',
    markdownTable(doc.rows),
    END,
  ].join('\n');
  writeFileSync(DOC, text.slice(0, a) + block + text.slice(b + END.length));
  return true;
}

function printTable(rows) {
  const head = ['Scenario', 'Metric', 'Hi_Msg', 'Bare relay', 'Ratio', 'Target', 'Met', 'Note'];
  const lines = rows.map((r) => [r.scenario, r.metric, `${fmt(r.ours)}${r.unit && r.ours !== null ? ` ${r.unit}` : ''}`, `${fmt(r.bare)}${r.unit && r.bare !== null ? ` ${r.unit}` : ''}`, fmt(r.ratio), r.target || '', r.pass === null ? '' : r.pass ? 'yes' : 'NO', r.note || '']);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const out = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(out(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(out(l));
}

async function main() {
  const wanted = process.argv.slice(2).map((a) => a.toUpperCase());
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  const started = new Date();
  const facts = machine();
  const pinned = pinSelf();
  const info = { ...facts, pinned: pinned ? { server: SERVER_CORE, loadGenerator: LOAD_CORE } : 'no (taskset unavailable or one core)' };
  console.log(`Hi_Msg bench on ${info.nproc} cores, ${info.memGiB} GiB, Node ${info.node}; pinning: ${JSON.stringify(info.pinned)}`);

  const rows = [];
  const results = {};
  for (const name of names) {
    const [title, load] = SCENARIOS[name];
    const t0 = Date.now();
    console.log(`\n▶ ${name} ${title}`);
    try {
      const mod = await load();
      const res = await mod.run();
      results[name] = { title, seconds: Math.round((Date.now() - t0) / 1000), ...res };
      rows.push(...res.rows);
      printTable(res.rows);
    } catch (err) {
      console.error(`${name} failed: ${err?.stack ?? err}`);
      results[name] = { title, seconds: Math.round((Date.now() - t0) / 1000), error: String(err?.message ?? err) };
      rows.push({ scenario: name, metric: 'failed to run', unit: '', ours: null, bare: null, ratio: null, target: '', pass: false, note: String(err?.message ?? err).split('\n')[0] });
    }
    console.log(`  (${results[name].seconds} s)`);
  }

  console.log('\nAll scenarios:');
  printTable(rows);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const doc = { startedAt: started.toISOString(), seconds: Math.round((Date.now() - started.getTime()) / 1000), loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100), machine: info, scenarios: names, rows, results };
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(doc, null, 2) + '\n');
  console.log(`\nWrote ${file} (and latest.json) in ${doc.seconds} s`);
  // Only a run of every scenario stands as the documented figures.
  if (!wanted.length && updateDoc(doc, `bench/results/${stamp}.json`)) console.log('Updated docs/BENCHMARKS.md');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
