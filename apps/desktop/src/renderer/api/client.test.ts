import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function client(handler: Handler) {
  const calls: { url: string; auth: string | undefined; body: string | undefined }[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ url, auth: headers.Authorization, body: init?.body as string | undefined });
    return handler(url, init ?? {});
  });
  const api = new ApiClient('http://server:5050/', fetchImpl as unknown as typeof fetch);
  return { api, calls };
}

const me = { user: { id: '00000000-0000-4000-8000-000000000001', employeeId: 'e1', name: '김민지', email: 'a@b.co', department: 'd', position: 'p', grade: 'g', role: 'user', status: 'active' } };

describe('the API client', () => {
  it('sends the Bearer token and fills path parameters', async () => {
    const { api, calls } = client(() => json(200, { rooms: [] }));
    api.setTokens({ accessToken: 'acc', refreshToken: 'ref' });
    await api.call('rooms');
    expect(calls[0]).toMatchObject({ url: 'http://server:5050/api/chat-rooms', auth: 'Bearer acc' });
    await api.call('roomMessages', { params: { roomId: 'r 1' }, query: { before: 40, limit: 50 } });
    expect(calls[1]!.url).toBe('http://server:5050/api/chat-rooms/r%201/messages?before=40&limit=50');
  });

  it('on TOKEN_EXPIRED refreshes once with the refresh token, then retries with the new token', async () => {
    const onTokens = vi.fn();
    const { api, calls } = client((url, init) => {
      if (url.endsWith('/api/auth/refresh')) return json(200, { accessToken: 'acc2', refreshToken: 'ref2', expiresIn: 3600 });
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer acc2' ? json(200, me) : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } });
    });
    api.setTokens({ accessToken: 'acc1', refreshToken: 'ref1' });
    api.onTokens = onTokens;
    const res = await api.call('me');
    expect(res.user.name).toBe('김민지');
    expect(calls.map((c) => c.url.replace('http://server:5050', ''))).toEqual(['/api/users/me', '/api/auth/refresh', '/api/users/me']);
    expect(JSON.parse(calls[1]!.body!)).toEqual({ refreshToken: 'ref1' });
    expect(onTokens).toHaveBeenCalledWith({ accessToken: 'acc2', refreshToken: 'ref2', expiresIn: 3600 });
    expect(api.refreshToken).toBe('ref2');
  });

  it('refreshes only once when several calls expire together (a reused refresh token would end the session)', async () => {
    let refreshes = 0;
    const { api } = client((url, init) => {
      if (url.endsWith('/api/auth/refresh')) {
        refreshes += 1;
        return json(200, { accessToken: 'new', refreshToken: 'ref-new', expiresIn: 3600 });
      }
      return (init.headers as Record<string, string>).Authorization === 'Bearer new' ? json(200, { rooms: [] }) : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'x' } });
    });
    api.setTokens({ accessToken: 'old', refreshToken: 'ref-old' });
    await Promise.all([api.call('rooms'), api.call('rooms'), api.call('rooms')]);
    expect(refreshes).toBe(1);
  });

  it('two windows renewing at once take turns: the second presents the token the first stored, and both stay signed in', async () => {
    // The app's windows share Web Locks (same origin); jsdom has none, so a queue stands in for them.
    let tail: Promise<unknown> = Promise.resolve();
    const locks = { request: (_name: string, fn: () => Promise<unknown>) => (tail = tail.then(fn, fn)) };
    Object.defineProperty(navigator, 'locks', { configurable: true, value: locks });
    try {
      // The server: each token works once; a token presented again ends the session.
      let current = 'ref-0';
      let n = 0;
      let stored = 'ref-0';
      const server: Handler = async (_url, init) => {
        const { refreshToken } = JSON.parse(String(init.body)) as { refreshToken: string };
        if (refreshToken !== current) return json(401, { error: { code: 'INVALID_REFRESH_TOKEN', message: 'reused' } });
        await new Promise((r) => setTimeout(r, 20));
        current = `ref-${++n}`;
        return json(200, { accessToken: `acc-${n}`, refreshToken: current, expiresIn: 3600 });
      };
      const windows = [client(server).api, client(server).api];
      const lost = vi.fn();
      for (const api of windows) {
        api.setTokens({ accessToken: 'old', refreshToken: 'ref-0' });
        api.loadRefreshToken = () => Promise.resolve(stored);
        api.onTokens = async (pair) => {
          await new Promise((r) => setTimeout(r, 10)); // the store takes a moment
          stored = pair.refreshToken;
        };
        api.onSessionLost = lost;
      }
      expect(await Promise.all(windows.map((api) => api.refresh()))).toEqual([true, true]);
      expect(lost).not.toHaveBeenCalled();
      expect(windows.map((api) => api.accessToken).sort()).toEqual(['acc-1', 'acc-2']);
      expect(stored).toBe('ref-2');
    } finally {
      Reflect.deleteProperty(navigator, 'locks');
    }
  });

  it('refreshes with the newest stored token when another window rotated it', async () => {
    const { api, calls } = client((url, init) => {
      if (url.endsWith('/refresh')) return json(200, { accessToken: 'acc3', refreshToken: 'ref3', expiresIn: 3600 });
      return (init.headers as Record<string, string>).Authorization === 'Bearer acc3' ? json(200, { rooms: [] }) : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'x' } });
    });
    api.setTokens({ accessToken: 'acc1', refreshToken: 'ref1-stale' });
    api.loadRefreshToken = () => Promise.resolve('ref2-from-the-admin-window');
    await api.call('rooms');
    expect(JSON.parse(calls[1]!.body!)).toEqual({ refreshToken: 'ref2-from-the-admin-window' });
  });

  it('a refused refresh ends the session and the call fails with the server’s code', async () => {
    const onSessionLost = vi.fn();
    const { api } = client((url) => (url.endsWith('/refresh') ? json(401, { error: { code: 'INVALID_REFRESH_TOKEN', message: 'no' } }) : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'x' } })));
    api.setTokens({ accessToken: 'a', refreshToken: 'r' });
    api.onSessionLost = onSessionLost;
    await expect(api.call('rooms')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    expect(onSessionLost).toHaveBeenCalledTimes(1);
    expect(api.accessToken).toBeNull();
  });

  it('a server that cannot answer the refresh (restarting, overloaded) keeps the session for a later try', async () => {
    for (const status of [500, 502, 503, 429]) {
      const onSessionLost = vi.fn();
      let refreshes = 0;
      const { api } = client((url) => {
        if (!url.endsWith('/refresh')) return json(200, me);
        refreshes += 1;
        return refreshes === 1 ? json(status, { error: { code: 'INTERNAL', message: 'busy' } }) : json(200, { accessToken: 'acc2', refreshToken: 'ref2', expiresIn: 3600 });
      });
      api.setTokens({ accessToken: 'a', refreshToken: 'r' });
      api.onSessionLost = onSessionLost;
      expect(await api.refresh()).toBe(false);
      expect(onSessionLost).not.toHaveBeenCalled();
      expect(api.refreshToken).toBe('r');
      expect(await api.refresh()).toBe(true);
      expect(api.accessToken).toBe('acc2');
    }
  });

  it('turns the error envelope into an ApiError with its code', async () => {
    const { api } = client(() => json(409, { error: { code: 'EMPLOYEE_ID_TAKEN', message: 'taken' } }));
    const err = await api.call('register', { body: { employeeId: 'e1', password: 'x'.repeat(10), name: 'n', email: 'a@b.co', department: 'd', position: 'p', grade: 'g' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'EMPLOYEE_ID_TAKEN', status: 409 });
  });

  it('a network failure is an INTERNAL error with status 0', async () => {
    const { api } = client(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.call('health')).rejects.toMatchObject({ code: 'INTERNAL', status: 0 });
  });
});

describe('uploads', () => {
  class FakeXhr {
    static last: FakeXhr;
    upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    statusText = '';
    responseText = '';
    headers: Record<string, string> = {};
    url = '';
    sent: FormData | null = null;
    constructor() {
      FakeXhr.last = this;
    }
    open(_m: string, url: string) {
      this.url = url;
    }
    setRequestHeader(k: string, v: string) {
      this.headers[k] = v;
    }
    send(body: FormData) {
      this.sent = body;
    }
    abort() {
      this.onabort?.();
    }
    answer(status: number, body: unknown) {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.onload?.();
    }
  }

  it('reports progress and resolves with the stored file', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = new ApiClient('http://server:5050');
    api.setTokens({ accessToken: 'acc', refreshToken: 'ref' });
    const progress: number[] = [];
    const handle = api.upload(new File(['hello'], '보고서.txt', { type: 'text/plain' }), (p) => progress.push(p));
    const xhr = FakeXhr.last;
    expect(xhr.url).toBe('http://server:5050/api/upload-file');
    expect(xhr.headers.Authorization).toBe('Bearer acc');
    expect((xhr.sent!.get('file') as File).name).toBe('보고서.txt');
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 2, total: 5 });
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 5, total: 5 });
    xhr.answer(201, { file: { id: '00000000-0000-4000-8000-000000000009', name: '보고서.txt', mime: 'text/plain; charset=utf-8', size: 5 } });
    await expect(handle.promise).resolves.toMatchObject({ name: '보고서.txt', size: 5 });
    expect(progress).toEqual([0.4, 1]);
    vi.unstubAllGlobals();
  });

  it('a refused upload fails with the server’s code', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = new ApiClient('http://server:5050');
    const handle = api.upload(new File(['x'], 'big.zip'), () => undefined);
    FakeXhr.last.answer(413, { error: { code: 'FILE_TOO_LARGE', message: 'too large' } });
    await expect(handle.promise).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', status: 413 });
    vi.unstubAllGlobals();
  });
});
