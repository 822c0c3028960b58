/** Exact percentiles over a sorted copy: the sample counts here stay small enough to sort. */
export function summarize(samples) {
  if (samples.length === 0) return { n: 0, p50: null, p99: null, max: null, mean: null };
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(s[s.length - 1]), mean: round(sum / s.length) };
}

export function round(v, digits = 2) {
  if (v === null || v === undefined || !Number.isFinite(v)) return v ?? null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
