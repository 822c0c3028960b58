/**
 * A socket's event budget: so many events in a window that opens with the first event after
 * the last one closed. Kept on the socket itself, counted in place on every event: no timer,
 * no map, no promise, and it goes away with the socket.
 */
export class EventWindow {
  private closesAt = 0;
  private used = 0;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Count one event at `now`: 0 while the budget holds, else how many ms until the window closes. */
  take(now: number): number {
    if (now >= this.closesAt) {
      this.closesAt = now + this.windowMs;
      this.used = 0;
    }
    this.used += 1;
    return this.used <= this.perWindow ? 0 : this.closesAt - now;
  }
}
