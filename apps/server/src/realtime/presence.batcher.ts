/**
 * Comings and goings gathered for a moment, then told together: one event per follower for a
 * whole batch instead of one per change. When a thousand people who follow each other arrive in
 * the morning, each would otherwise be told of each arrival one by one (item 40 in
 * docs/BENCHMARKS.md). A user who comes and goes within one batch is told once, as they are then.
 */
export class PresenceBatcher {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly waitMs: number,
    /** Tell the followers of these users how they stand now. */
    private readonly tell: (userIds: string[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** This user came or went; their followers hear of it with the next batch. */
  changed(userId: string): void {
    if (this.stopped) return;
    this.pending.add(userId);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush().catch(this.onError), this.waitMs);
    this.timer.unref();
  }

  /** Tell what is pending now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const userIds = [...this.pending];
    this.pending.clear();
    await this.tell(userIds);
  }

  /** Nothing more is told: the process is stopping, and its sockets with it. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
