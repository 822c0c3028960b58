// HTTP load with keep-alive connections and a fixed number of requests in flight.
import http from 'node:http';
import { summarize } from './stats.mjs';

/** One request; resolves { status, ms, body } (body only when keepBody). */
export function request(url, { method = 'GET', headers = {}, body, agent, localAddress, keepBody = true } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { method, headers, agent, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => keepBody && chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, body: keepBody ? Buffer.concat(chunks).toString('utf8') : '' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export function jsonBody(obj) {
  const text = JSON.stringify(obj);
  return { body: text, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } };
}

/**
 * Run `requests` requests (after `warmup` unmeasured ones) with `concurrency` in flight, or until
 * `maxMs` passes. `make(i)` returns { path, method?, headers?, body? } for request i.
 */
export async function load(baseUrl, make, { concurrency = 4, requests = 300, warmup = 30, maxMs = 30000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const ms = [];
  const statuses = {};
  let next = 0;
  const total = warmup + requests;
  const deadline = performance.now() + maxMs;
  const t0 = performance.now();
  let measuredStart = warmup === 0 ? t0 : undefined;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      if (i === warmup) measuredStart = performance.now();
      const r = make(i);
      const res = await request(baseUrl + r.path, { method: r.method, headers: r.headers, body: r.body, agent, keepBody: false });
      if (i >= warmup) {
        ms.push(res.ms);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallS = (performance.now() - (measuredStart ?? t0)) / 1000;
  agent.destroy();
  return { ...summarize(ms), perSec: ms.length / wallS, statuses };
}
