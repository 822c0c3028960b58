// S7 uploads: ten at once, of 10 MB each (and of 1 MB, to show the server's peak memory does not
// grow with the file size): throughput, and peak resident memory above the idle figure.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startBare } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';
import { knob, mb, row, startSeededHi } from './common.mjs';

/** A multipart body with one text file of `size` bytes (UTF-8, Korean included, no NUL). */
function multipart(size, name) {
  const boundary = `----hi-msg-bench-${randomBytes(8).toString('hex')}`;
  const line = Buffer.from('성능 시험 파일의 한 줄입니다. A line of the upload benchmark file.\n');
  const content = Buffer.alloc(size);
  for (let i = 0; i < size; i += line.length) line.copy(content, i, 0, Math.min(line.length, size - i));
  // Keep the tail valid UTF-8: a cut multibyte character becomes spaces.
  let end = size;
  while (end > 0 && (content[end - 1] & 0xc0) === 0x80) end--;
  if (end > 0 && content[end - 1] >= 0xc0) end--;
  content.fill(0x20, end);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, content, tail]), type: `multipart/form-data; boundary=${boundary}` };
}

function upload(url, token, part) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(`${url}/api/upload-file`, { method: 'POST', headers: { 'content-type': part.type, 'content-length': part.body.length, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(part.body);
  });
}

async function round10(target, tokens, size, rounds, parallel) {
  await target.probe('gc');
  const idle = await target.probe('reset');
  const part = multipart(size, `성능시험-${size}.txt`);
  const t0 = performance.now();
  const statuses = {};
  let sample;
  for (let r = 0; r < rounds; r++) {
    const res = await Promise.all(Array.from({ length: parallel }, (_, i) => upload(target.url, tokens[i % tokens.length], part)));
    for (const x of res) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    sample ??= res.find((x) => x.status !== 201)?.body;
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await target.probe('sample');
  return {
    size,
    files: rounds * parallel,
    statuses,
    sampleError: sample,
    mbPerSec: round(mb(size * rounds * parallel) / seconds),
    idleRssMB: mb(idle.rss),
    peakRssMB: mb(after.peakRss),
    peakAboveIdleMB: mb(after.peakRss - idle.rss),
  };
}

export async function run() {
  const parallel = knob('S7_PARALLEL', 10);
  const rounds = knob('S7_ROUNDS', 3);
  const big = knob('S7_BYTES', 10 * 1024 * 1024);
  const small = Math.round(big / 10);
  const details = { parallel, rounds };
  const { hi, db, users } = await startSeededHi({}, parallel, 'u');
  await db.close();
  try {
    const tokens = users.map((u) => u.token);
    details.hiSmall = await round10(hi, tokens, small, rounds, parallel);
    details.hiBig = await round10(hi, tokens, big, rounds, parallel);
  } finally {
    await hi.stop();
  }
  const bare = await startBare();
  try {
    details.bareSmall = await round10(bare, [null], small, rounds, parallel);
    details.bareBig = await round10(bare, [null], big, rounds, parallel);
  } finally {
    await bare.stop();
  }
  const hs = details.hiSmall;
  const hb = details.hiBig;
  const ok = hb.statuses['201'] === hb.files;
  // Flat: ten times the file size may not cost more than a few MB more at the peak.
  const flat = hb.peakAboveIdleMB - hs.peakAboveIdleMB <= Math.max(16, hs.peakAboveIdleMB);
  return {
    details,
    rows: [
      row('S7', `${parallel} × ${mb(big)} MB uploads: throughput`, { ours: hb.mbPerSec, bare: details.bareBig.mbPerSec, unit: 'MB/s', note: ok ? '' : `statuses ${JSON.stringify(hb.statuses)} ${hb.sampleError ?? ''}`.slice(0, 200) }),
      row('S7', `peak memory above idle, ${mb(small)} MB files`, { ours: hs.peakAboveIdleMB, bare: details.bareSmall.peakAboveIdleMB, unit: 'MB' }),
      row('S7', `peak memory above idle, ${mb(big)} MB files`, { ours: hb.peakAboveIdleMB, bare: details.bareBig.peakAboveIdleMB, unit: 'MB', target: 'flat with file size', pass: ok && flat }),
    ],
  };
}
