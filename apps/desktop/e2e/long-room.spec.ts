import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from './env';
import { loggedIn } from './helpers';

// Seeding 10,000 messages through the real server takes minutes on this machine, so these tests
// sign in to the real server and serve one synthetic room in the real REST shapes (page.route),
// then measure the real renderer in Chromium.

/** Sign in as the admin and add a 1:1 room with `count` messages; `latest` of them come with the room. */
async function syntheticRoom(page: Page, count: number, latest: number) {
  const loginResponse = page.waitForResponse((r) => r.url().endsWith('/api/login') && r.ok());
  await loggedIn(page, 'admin', ADMIN_PASSWORD);
  const me = ((await (await loginResponse).json()) as { user: { id: string; name: string } }).user;
  const roomId = randomUUID();
  const otherId = randomUUID();
  const start = Date.parse('2026-11-01T09:00:00Z');
  const messages = Array.from({ length: count }, (_, i) => ({
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
    { userId: me.id, name: me.name, department: 'IT', position: 'Admin', lastReadSeq: count, joinedAt: messages[0]!.createdAt },
    { userId: otherId, name: '최은서', department: '영업팀', position: '대리', lastReadSeq: count - 20, joinedAt: messages[0]!.createdAt },
  ];
  const room = { id: roomId, kind: 'direct', name: null, createdBy: null, members, lastSeq: count, lastReadSeq: count, unreadCount: 0, muted: false, lastMessage: messages[count - 1], lastMessageAt: messages[count - 1]!.createdAt };
  const pageRequests: number[] = [];
  await page.route('**/api/chat-rooms', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { rooms: unknown[]; people: unknown[] };
    const listed = { ...room, members: members.map((m) => ({ userId: m.userId, lastReadSeq: m.lastReadSeq })) };
    await route.fulfill({ response: res, json: { rooms: [listed, ...body.rooms], people: [...body.people, { id: otherId, name: '최은서', department: '영업팀', position: '대리' }] } });
  });
  await page.route(`**/api/chat-rooms/${roomId}`, (route) => route.fulfill({ json: { room, messages: messages.slice(count - latest), hasMore: latest < count } }));
  await page.route(`**/api/chat-rooms/${roomId}/messages?*`, (route) => {
    const q = new URL(route.request().url()).searchParams;
    const before = Number(q.get('before'));
    const limit = Number(q.get('limit'));
    pageRequests.push(before);
    const from = Math.max(0, before - 1 - limit);
    return route.fulfill({ json: { messages: messages.slice(from, before - 1), hasMore: from > 0 } });
  });
  return { roomId, pageRequests };
}

test('a room with 10,000 messages scrolls smoothly: only a window of rows is in the DOM', async ({ page }) => {
  const COUNT = 10_000;
  const { roomId } = await syntheticRoom(page, COUNT, COUNT);
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
    return { frames: frames.length, p50: frames[Math.floor(frames.length * 0.5)]!, p95: frames[Math.floor(frames.length * 0.95)]!, maxRows };
  });
  const line = `10,000-message room: open ${openMs} ms; ${result.frames} scroll frames p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms; at most ${result.maxRows} rows in the DOM`;
  test.info().annotations.push({ type: 'measured', description: line });
  console.log(line);
  expect(result.maxRows).toBeLessThan(120);
  expect(result.p95).toBeLessThan(150);
  // The "1" shows beside my messages the other member has not read (the last 20).
  await page.locator('.messages').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`.msg.mine[data-seq="${COUNT - 3}"] .unread-count`)).toHaveText('1');
});

test('scrolling up loads older history page by page (keyset by seq), down to the first message', async ({ page }) => {
  const COUNT = 3_000;
  const { roomId, pageRequests } = await syntheticRoom(page, COUNT, 100);
  await page.goto(`/#/chats/${roomId}`);
  await expect(page.locator('.bubble', { hasText: `메시지 ${COUNT}` })).toBeVisible();
  // At the top, one page loads and the view stays on the message that was first.
  await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
  await expect.poll(() => pageRequests.length).toBe(1);
  await expect(page.locator(`.msg[data-seq="${COUNT - 99}"]`)).toBeInViewport();
  await page.waitForTimeout(300);
  expect(pageRequests).toHaveLength(1);

  const t0 = Date.now();
  await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('.messages')!;
    const deadline = performance.now() + 40_000;
    while (!el.querySelector('[data-seq="1"]') && performance.now() < deadline) {
      el.scrollTop = Math.max(0, el.scrollTop - 2000);
      await new Promise((r) => setTimeout(r, 16));
    }
  });
  await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
  await expect(page.locator('.bubble', { hasText: '긴 메시지 1:' })).toBeVisible();
  const line = `history paging: ${pageRequests.length} pages of 100 loaded in ${Date.now() - t0} ms`;
  test.info().annotations.push({ type: 'measured', description: line });
  console.log(line);
  // Each page asks for what lies before the oldest message held: 2901, 2801, … 101.
  expect(pageRequests).toEqual(Array.from({ length: 29 }, (_, i) => COUNT - 99 - i * 100));
  const seqs = await page.locator('.msg[data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  expect(new Set(seqs).size).toBe(seqs.length);
});
