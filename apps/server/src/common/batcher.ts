/**
 * Changes gathered for a moment, then told together: one event per listener for a whole batch
 * instead of one per change. When a thousand people who follow each other arrive in the morning,
 * or a thousand read the same notice, each would otherwise be told of each change one by one
 * (items 40 and 41 in docs/BENCHMARKS.md). Changes to the same key within one batch are merged.
 */
export class Batcher<K, V> {
  private readonly pending = new Map<K, V>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly waitMs: number,
    /** What a key holds when it changes again within the batch. */
    private readonly merge: (held: V, next: V) => V,
    /** Tell the batch. */
    private readonly tell: (batch: Map<K, V>) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** A change; it is told with the next batch, which starts now unless one is under way. */
  add(key: K, value: V): void {
    if (this.stopped) return;
    const held = this.pending.get(key);
    this.pending.set(key, held === undefined ? value : this.merge(held, value));
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush().catch(this.onError), this.waitMs);
    this.timer.unref();
  }

  /** Tell what is pending now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = new Map(this.pending);
    this.pending.clear();
    await this.tell(batch);
  }

  /** Nothing more is told: the process is stopping. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
