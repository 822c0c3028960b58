import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from './env';
import { loggedIn } from './helpers';

// Seeding 10,000 messages through the real server takes minutes on this machine, so this test
// serves one synthetic room over the real REST shapes (page.route) and measures the real
// renderer scrolling it in Chromium.
const COUNT = 10_000;

test('a room with 10,000 messages scrolls smoothly: only a window of rows is in the DOM', async ({ page }) => {
  const loginResponse = page.waitForResponse((r) => r.url().endsWith('/api/login') && r.ok());
  await loggedIn(page, 'admin', ADMIN_PASSWORD);
  const me = ((await (await loginResponse).json()) as { user: { id: string; name: string } }).user;
  const roomId = randomUUID();
  const otherId = randomUUID();
  const start = Date.parse('2026-11-01T09:00:00Z');
  const messages = Array.from({ length: COUNT }, (_, i) => ({
    id: randomUUID(),
    roomId,
    seq: i + 1,
    senderId: i % 3 === 0 ? me.id : otherId,
    clientId: null,
    kind: 'text',
    body: i % 7 === 0 ? `긴 메시지 ${i + 1}: ${'오늘 회의에서 논의한 내용을 정리해서 공유드립니다. '.repeat(3)}` : `메시지 ${i + 1}`,
    file: null,
    createdAt: new Date(start + i * 4 * 60_000).toISOString(),
    deletedAt: null,
  }));
  const members = [
    { userId: me.id, name: me.name, department: 'IT', position: 'Admin', lastReadSeq: COUNT, joinedAt: messages[0]!.createdAt },
    { userId: otherId, name: '최은서', department: '영업팀', position: '대리', lastReadSeq: COUNT - 20, joinedAt: messages[0]!.createdAt },
  ];
  const room = { id: roomId, kind: 'direct', name: null, createdBy: null, members, lastSeq: COUNT, lastReadSeq: COUNT, unreadCount: 0, muted: false, lastMessage: messages[COUNT - 1], lastMessageAt: messages[COUNT - 1]!.createdAt };
  await page.route('**/api/chat-rooms', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { rooms: unknown[] };
    await route.fulfill({ response: res, json: { rooms: [room, ...body.rooms] } });
  });
  await page.route(`**/api/chat-rooms/${roomId}`, (route) => route.fulfill({ json: { room, messages, hasMore: false } }));

  await page.goto('/#/chats');
  const t0 = Date.now();
  await page.goto(`/#/chats/${roomId}`);
  await expect(page.locator('.bubble', { hasText: `메시지 ${COUNT}` })).toBeVisible();
  const openMs = Date.now() - t0;

  const result = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('.messages')!;
    const frames: number[] = [];
    let maxRows = 0;
    let last = performance.now();
    for (let i = 0; i < 240 && el.scrollTop > 0; i += 1) {
      el.scrollTop -= 120;
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, el.querySelectorAll('.row').length);
    }
    frames.sort((a, b) => a - b);
    return { frames: frames.length, p50: frames[Math.floor(frames.length * 0.5)]!, p95: frames[Math.floor(frames.length * 0.95)]!, maxRows, scrollHeight: el.scrollHeight };
  });
  test.info().annotations.push({ type: 'measured', description: `open ${openMs} ms; ${result.frames} scroll frames p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms; at most ${result.maxRows} rows in the DOM` });
  console.log(`10,000-message room: open ${openMs} ms; scroll frames p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms; max ${result.maxRows} rows in the DOM`);
  expect(result.maxRows).toBeLessThan(120);
  expect(result.p95).toBeLessThan(150);
  // The "1" shows beside my messages the other member has not read (the last 20).
  await page.locator('.messages').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`.msg.mine[data-seq="${COUNT - 3}"] .unread-count`)).toHaveText('1');
});
