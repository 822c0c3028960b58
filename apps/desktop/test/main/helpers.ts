import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Mock, vi } from 'vitest';
import type { Logger } from '../../src/main/log';

/** A recording stand-in for any function. */
export type Spy = Mock<(...args: unknown[]) => unknown>;
export const spy = (impl?: (...args: unknown[]) => unknown): Spy => vi.fn<(...args: unknown[]) => unknown>(impl);

/** A logger that records what main logged, so a test can assert a rejection was logged. */
export function fakeLog(): { info: Spy; warn: Spy; error: Spy } {
  return { info: spy(), warn: spy(), error: spy() };
}
export type FakeLog = ReturnType<typeof fakeLog> & Logger;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hi-msg-main-'));
}

export const ROOM_A = '0b7c3a52-8a43-4a8e-9f2e-2b1b7d0c1a11';
export const ROOM_B = '5d2f3f4e-1c1a-4f5b-8d7e-6a9b8c7d6e22';
