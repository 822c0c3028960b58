/** What main-process code needs from a logger; electron-log in the app, a fake in tests. */
export interface Logger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}
