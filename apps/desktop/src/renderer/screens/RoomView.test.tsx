import type { Message, Room, User } from '@hi-msg/contracts';
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

/** A session holding the room, and its RoomView on screen. */
function openRoomView(api: ApiClient, me: User, r: Room) {
  const platform = fakePlatform();
  const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => new FakeSocket() as unknown as HiSocket }, me);
  session.store.set({ rooms: { [r.id]: r } });
  render(
    <AppContext.Provider value={{ api, platform, signOut: vi.fn() }}>
      <SessionContext.Provider value={session}>
        <RoomView roomId={r.id} />
      </SessionContext.Provider>
    </AppContext.Provider>,
  );
  return { session, platform };
}

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
    const t0 = performance.now();
    const { session } = openRoomView(api, me, r);
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

describe('an open room', () => {
  function mount(bodies: string[], upload?: { abort: () => void; promise: Promise<never> }) {
    const me = user({ name: '김민지' });
    const other = user({ name: '이서준' });
    const r = room([member(me.id, 2, me.name), member(other.id, 2, other.name)], { kind: 'group', name: '공지방', lastSeq: bodies.length, lastReadSeq: bodies.length });
    const messages = bodies.map((body, i) => message(r.id, i + 1, other.id, { body }));
    const api = {
      accessToken: 'acc',
      call: vi.fn((name: string) => (name === 'room' ? Promise.resolve({ room: r, messages, hasMore: false }) : Promise.resolve({ rooms: [r] }))),
      refresh: vi.fn(() => Promise.resolve(true)),
      upload: vi.fn(() => upload),
    } as unknown as ApiClient;
    const { session, platform } = openRoomView(api, me, r);
    return { session, platform, room: r, other };
  }

  it('opens a web address in a message in the browser, not in the app', async () => {
    const { session, platform } = mount(['공지는 https://wiki.corp.example/notice 에서 보세요.']);
    const link = await screen.findByRole('link', { name: 'https://wiki.corp.example/notice' });
    expect(link.closest('.bubble')!.textContent).toBe('공지는 https://wiki.corp.example/notice 에서 보세요.');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    act(() => void link.dispatchEvent(click));
    expect(click.defaultPrevented).toBe(true);
    expect(platform.openExternal).toHaveBeenCalledWith('https://wiki.corp.example/notice');
    session.stop();
  });

  it('an upload under way can be cancelled: the row goes and nothing is sent', async () => {
    let reject!: (e: unknown) => void;
    const abort = vi.fn(() => reject(new Error('aborted')));
    const { session, room: r } = mount([], { abort, promise: new Promise<never>((_, rej) => (reject = rej)) });
    await screen.findByRole('textbox');
    act(() => void session.sendFile(r.id, new File(['x'.repeat(1000)], '보고서.pdf')));
    const cancel = await screen.findByRole('button', { name: 'Cancel uploading 보고서.pdf' });
    act(() => cancel.click());
    expect(abort).toHaveBeenCalledTimes(1);
    await act(() => new Promise((res) => setTimeout(res, 0)));
    expect(screen.queryByText('보고서.pdf')).toBeNull();
    expect(session.store.get().uploads).toEqual([]);
    expect(session.store.get().outbox).toEqual([]);
    session.stop();
  });

  it('a room deleted while open says so and leads back to the chats', async () => {
    const { session, room: r } = mount(['곧 사라질 방']);
    await screen.findByText('곧 사라질 방');
    act(() => session.store.set((st) => ({ rooms: Object.fromEntries(Object.entries(st.rooms).filter(([id]) => id !== r.id)) })));
    expect(await screen.findByText('This chat room is no longer available: it was deleted, or you left it.')).toBeTruthy();
    act(() => screen.getByRole('button', { name: 'Back to chats' }).click());
    expect(window.location.hash).toBe('#/chats');
    session.stop();
  });
});
