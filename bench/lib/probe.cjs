// Preloaded (--require) into the server and the bare relay: answers the bench runner over the
// IPC channel with resident memory (current and peak), event-loop delay and CPU time.
'use strict';
const { monitorEventLoopDelay } = require('node:perf_hooks');

if (typeof process.send === 'function') {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let peakRss = process.memoryUsage.rss();
  let cpu0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }, 50);
  timer.unref();

  const sample = () => {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage(cpu0);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    return {
      rss: mem.rss,
      peakRss,
      heapUsed: mem.heapUsed,
      lagP50Ms: eld.percentile(50) / 1e6,
      lagP99Ms: eld.percentile(99) / 1e6,
      lagMaxMs: eld.max / 1e6,
      cpuPct: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
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
      peakRss = process.memoryUsage.rss();
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
    }
    process.send(reply);
  });
  // The IPC channel must not keep a server alive on its own.
  process.channel?.unref();
}
