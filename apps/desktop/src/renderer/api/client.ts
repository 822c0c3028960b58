import {
  ERROR_CODES,
  ErrorEnvelopeSchema,
  ROUTES,
  TokenPairSchema,
  UploadResponseSchema,
  type ErrorCode,
  type FileRef,
  type RouteName,
  type TokenPair,
} from '@hi-msg/contracts';
import type { z } from 'zod';

/** A failed call, carrying the server's stable error code (translated by the UI). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 0,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turn any thrown value into an ApiError; network failures become INTERNAL with status 0. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
}

type Route<N extends RouteName> = (typeof ROUTES)[N];
export type RouteResponse<N extends RouteName> = Route<N> extends { response: z.ZodType } ? z.infer<Route<N>['response']> : void;
type RouteBody<N extends RouteName> = Route<N> extends { body: z.ZodType } ? z.input<Route<N>['body']> : never;

export interface CallOptions<N extends RouteName> {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: RouteBody<N>;
}

async function errorFrom(res: Response): Promise<ApiError> {
  const raw: unknown = await res.json().catch(() => null);
  const parsed = ErrorEnvelopeSchema.safeParse(raw);
  if (parsed.success) return new ApiError(parsed.data.error.code, parsed.data.error.message, res.status, parsed.data.error.details);
  const fallback: ErrorCode = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : res.status === 404 ? 'NOT_FOUND' : res.status === 413 ? 'FILE_TOO_LARGE' : res.status === 415 ? 'FILE_TYPE_NOT_ALLOWED' : 'INTERNAL';
  return new ApiError(fallback, res.statusText, res.status);
}

export interface UploadHandle {
  promise: Promise<FileRef>;
  abort(): void;
}

/**
 * The one REST client: adds the Bearer token, refreshes it once on TOKEN_EXPIRED/401 and
 * retries, and turns the error envelope into an ApiError.
 */
export class ApiClient {
  accessToken: string | null = null;
  refreshToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  /**
   * Called with every new token pair (persist the refresh token, re-authenticate the socket); a
   * returned promise is awaited before another window may renew, so it reads the token stored here.
   */
  onTokens: (pair: TokenPair) => void | Promise<unknown> = () => undefined;
  /** Called when the session cannot be renewed; the app returns to the login screen. */
  onSessionLost: () => void = () => undefined;
  /**
   * The newest stored refresh token. Another window or tab of the same app may have rotated it;
   * presenting the old one would look like token theft and end the whole session.
   */
  loadRefreshToken: () => Promise<string | null> = () => Promise.resolve(null);

  constructor(public baseUrl: string, private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {}

  setTokens(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void {
    this.accessToken = pair.accessToken;
    this.refreshToken = pair.refreshToken;
  }

  clearTokens(): void {
    this.accessToken = null;
    this.refreshToken = null;
  }

  url(path: string, query?: CallOptions<RouteName>['query']): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return `${this.baseUrl.replace(/\/+$/, '')}${path}${q ? `?${q}` : ''}`;
  }

  /** Call a route of the contracts' route table; the answer is parsed with its response schema. */
  async call<N extends RouteName>(name: N, opts: CallOptions<N> = {}): Promise<RouteResponse<N>> {
    const route: { method: string; path: string; auth: string; response?: z.ZodType } = ROUTES[name];
    const path = route.path.replace(/\{(\w+)\}/g, (_m, key: string) => encodeURIComponent(opts.params?.[key] ?? ''));
    const init: RequestInit = { method: route.method, headers: {} };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const res = await this.send(this.url(path, opts.query), init, route.auth !== 'none');
    if (res.status === 204) return undefined as RouteResponse<N>;
    const data: unknown = await res.json();
    if (!route.response) return data as RouteResponse<N>;
    const parsed = route.response.safeParse(data);
    if (!parsed.success) console.error(`Response of ${name} does not match the contract`, parsed.error.issues);
    return (parsed.success ? parsed.data : data) as RouteResponse<N>;
  }

  /** A file (or image preview) as a Blob, with the Bearer token. */
  async fetchBlob(fileId: string, preview = false): Promise<Blob> {
    const path = ROUTES.download.path.replace('{id}', encodeURIComponent(fileId));
    const res = await this.send(this.url(path, preview ? { preview: 1 } : undefined), { method: 'GET' }, true);
    return res.blob();
  }

  /** Upload with progress (fetch cannot report upload progress, XMLHttpRequest can). */
  upload(file: File, onProgress: (fraction: number) => void): UploadHandle {
    let xhr: XMLHttpRequest | null = null;
    const attempt = () =>
      new Promise<FileRef>((resolve, reject) => {
        xhr = new XMLHttpRequest();
        xhr.open('POST', this.url(ROUTES.upload.path));
        if (this.accessToken) xhr.setRequestHeader('Authorization', `Bearer ${this.accessToken}`);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress(e.loaded / e.total);
        };
        xhr.onload = () => {
          const x = xhr!;
          let body: unknown;
          try {
            body = JSON.parse(x.responseText);
          } catch {
            body = null;
          }
          if (x.status >= 200 && x.status < 300) {
            const parsed = UploadResponseSchema.safeParse(body);
            if (parsed.success) resolve(parsed.data.file);
            else reject(new ApiError('INTERNAL', 'Unexpected upload answer', x.status));
            return;
          }
          const env = ErrorEnvelopeSchema.safeParse(body);
          if (env.success) reject(new ApiError(env.data.error.code, env.data.error.message, x.status));
          else reject(new ApiError(x.status === 413 ? 'FILE_TOO_LARGE' : x.status === 415 ? 'FILE_TYPE_NOT_ALLOWED' : 'INTERNAL', x.statusText, x.status));
        };
        xhr.onerror = () => reject(new ApiError('INTERNAL', 'Network error', 0));
        xhr.onabort = () => reject(new ApiError('INTERNAL', 'Upload cancelled', 0));
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
      });
    const promise = attempt().catch(async (err: unknown) => {
      if (err instanceof ApiError && err.status === 401 && (await this.refresh())) return attempt();
      throw err;
    });
    return { promise, abort: () => xhr?.abort() };
  }

  private async send(url: string, init: RequestInit, authed: boolean, retried = false): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string>) };
    if (authed && this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { ...init, headers });
    } catch (err) {
      throw new ApiError('INTERNAL', err instanceof Error ? err.message : 'Network error', 0);
    }
    if (res.ok) return res;
    const error = await errorFrom(res);
    if (authed && !retried && res.status === 401 && this.refreshToken && (await this.refresh())) {
      return this.send(url, init, authed, true);
    }
    throw error;
  }

  /** Rotate the tokens. Single-flight: a reused refresh token would end the whole session. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.oneWindowAtATime(() => this.doRefresh()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * The app's windows (the main one and the admin one) share one stored refresh token, and the
   * server takes a token presented twice for a stolen one and ends the session. Renewals across
   * windows take turns: the second reads the token the first stored, not the one it was given.
   */
  private oneWindowAtATime<T>(renew: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? locks.request('hi-msg-token-refresh', renew) : renew();
  }

  private async doRefresh(): Promise<boolean> {
    const token = (await this.loadRefreshToken().catch(() => null)) ?? this.refreshToken;
    if (!token) return false;
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(ROUTES.refresh.path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: token }),
      });
    } catch {
      return false; // offline: keep the session, try again later
    }
    // The server or a proxy in front of it failing (a restart, overload) is no verdict on the
    // session: keep it and try again later. Only a refusal ends it.
    if (res.status >= 500 || res.status === 408 || res.status === 429) return false;
    if (!res.ok) {
      this.clearTokens();
      this.onSessionLost();
      return false;
    }
    const pair = TokenPairSchema.parse(await res.json());
    this.setTokens(pair);
    await this.onTokens(pair);
    return true;
  }
}
