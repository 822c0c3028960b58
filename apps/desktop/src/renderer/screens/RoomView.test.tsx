import type { Message } from '@hi-msg/contracts';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { AppContext, SessionContext } from '../app-context';
import { initI18n } from '../i18n';
import { ChatSession, type HiSocket } from '../state/session';
import { FakeSocket, fakePlatform } from '../test/fakes';
import { MemoryStorage, member, message, room, user } from '../test/fixtures';
import { RoomView } from './RoomView';

const VIEWPORT = 600;
const ROW = 50;

// jsdom does no layout: give the scroll area and the rows a size, as a browser would.
const originalRect = HTMLElement.prototype.getBoundingClientRect;
beforeAll(() => {
  initI18n('en-US');
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
    const h = this.classList.contains('messages') ? VIEWPORT : ROW;
    return { x: 0, y: 0, top: 0, left: 0, bottom: h, right: 800, width: 800, height: h, toJSON: () => ({}) } as DOMRect;
  };
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => ROW });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEWPORT });
  // Scrolling: remember the offset and fire the scroll event, which the virtualizer listens to.
  const offsets = new WeakMap<Element, number>();
  Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return offsets.get(this) ?? 0;
    },
    set(this: HTMLElement, v: number) {
      offsets.set(this, Math.max(0, v));
      this.dispatchEvent(new Event('scroll'));
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const sizer = this.querySelector<HTMLElement>(':scope > div[style]');
      return sizer ? parseFloat(sizer.style.height) || 0 : 0;
    },
  });
  Element.prototype.scrollTo = function (this: HTMLElement, opts?: ScrollToOptions | number) {
    if (typeof opts === 'object' && opts.top !== undefined) this.scrollTop = opts.top;
  } as typeof Element.prototype.scrollTo;
});
afterAll(() => {
  HTMLElement.prototype.getBoundingClientRect = originalRect;
});
afterEach(cleanup);

describe('a room with 10,000 messages', () => {
  it('puts only the visible window of rows in the DOM, and the newest message is there', async () => {
    const me = user({ name: '김민지' });
    const other = user({ name: '이서준' });
    const r = room([member(me.id, 10_000, me.name), member(other.id, 9_990, other.name)], { lastSeq: 10_000, lastReadSeq: 10_000 });
    const messages: Message[] = Array.from({ length: 10_000 }, (_, i) => message(r.id, i + 1, i % 2 ? me.id : other.id, { body: `메시지 ${i + 1}`, createdAt: new Date(2026, 10, 1 + Math.floor(i / 1000), 9, 0, i % 60).toISOString() }));
    const api = {
      accessToken: 'acc',
      call: vi.fn((name: string) => (name === 'room' ? Promise.resolve({ room: r, messages, hasMore: false }) : Promise.resolve({ rooms: [r] }))),
      refresh: vi.fn(() => Promise.resolve(true)),
    } as unknown as ApiClient;
    const platform = fakePlatform();
    const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => new FakeSocket() as unknown as HiSocket }, me);
    session.store.set({ rooms: { [r.id]: r } });

    const t0 = performance.now();
    render(
      <AppContext.Provider value={{ api, platform, signOut: vi.fn() }}>
        <SessionContext.Provider value={session}>
          <RoomView roomId={r.id} />
        </SessionContext.Provider>
      </AppContext.Provider>,
    );
    await screen.findByText('메시지 10000');
    const elapsed = performance.now() - t0;
    await act(() => new Promise((res) => setTimeout(res, 50)));

    const rendered = document.querySelectorAll('.msg').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);
    expect(screen.queryByText('메시지 1')).toBeNull();
    // The last ten are unread by the other member: the "1" shows beside mine among them.
    expect(document.querySelector('.msg.mine[data-seq="10000"] .unread-count')?.textContent).toBe('1');
    expect(elapsed).toBeLessThan(3000);
    session.stop();
  });
});
