// Preloaded (--require) into the server and the bare relay: answers the bench runner over the
// IPC channel with resident memory (current and peak), event-loop delay and CPU time.
'use strict';
const { readFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

/** The /proc/stat line of the one core this process is pinned to, or of all cores. */
function statLine() {
  try {
    const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return allowed && /^\d+$/.test(allowed) ? `cpu${allowed}` : 'cpu';
  } catch {
    return 'cpu';
  }
}
const STAT_LINE = statLine();

/** Ticks the hypervisor took from this process's core (steal), and all its ticks, so far. */
function coreTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`${STAT_LINE} `));
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return { steal: 0, total: 0 };
  }
}

if (typeof process.send === 'function') {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let peakRss = process.memoryUsage.rss();
  let cpu0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  let ticks0 = coreTicks();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }, 50);
  timer.unref();

  // Event-loop stalls: a 5 ms timer that comes more than STALL_MS late. The process's CPU time
  // over the same gap tells its own work (CPU close to the gap: a long task, GC, a burst of
  // frames) from being descheduled (CPU far below it: the machine, or another process on the core).
  const STALL_MS = 40;
  let stalls = { count: 0, longestMs: 0, lateMs: 0, cpuMs: 0 };
  let tickAt = performance.now();
  let tickCpu = process.cpuUsage();
  const stallTimer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const late = now - tickAt - 5;
    if (late > STALL_MS) {
      stalls.count += 1;
      stalls.longestMs = Math.max(stalls.longestMs, late);
      stalls.lateMs += late;
      stalls.cpuMs += (cpu.user + cpu.system - tickCpu.user - tickCpu.system) / 1000;
    }
    tickAt = now;
    tickCpu = cpu;
  }, 5);
  stallTimer.unref();

  const sample = () => {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage(cpu0);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const ticks = coreTicks();
    return {
      rss: mem.rss,
      peakRss,
      heapUsed: mem.heapUsed,
      lagP50Ms: eld.percentile(50) / 1e6,
      lagP99Ms: eld.percentile(99) / 1e6,
      lagMaxMs: eld.max / 1e6,
      cpuPct: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
      // The share of the core's time the hypervisor gave to others over the period (steal).
      stealPct: ticks.total > ticks0.total ? ((ticks.steal - ticks0.steal) / (ticks.total - ticks0.total)) * 100 : null,
      // Over the whole process, its other threads included: near 100 % means the process was busy.
      stalls: { count: stalls.count, longestMs: stalls.longestMs, busyPct: stalls.lateMs > 0 ? (stalls.cpuMs / stalls.lateMs) * 100 : null },
    };
  };

  process.on('message', (msg) => {
    if (!msg || typeof msg !== 'object' || typeof msg.probe !== 'string') return;
    if (msg.probe === 'gc' && typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    // The answer covers the time since the last reset; a reset then starts a new period.
    const reply = { probeReply: msg.id, ...sample() };
    if (msg.probe === 'reset') {
      eld.reset();
      stalls = { count: 0, longestMs: 0, lateMs: 0, cpuMs: 0 };
      peakRss = process.memoryUsage.rss();
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
      ticks0 = coreTicks();
    }
    process.send(reply);
  });
  // The IPC channel must not keep a server alive on its own.
  process.channel?.unref();
}
