import { Batcher } from './batcher';

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Keys with the highest number each was given in the batch, as read pointers are merged. */
  function batcher(tell?: (batch: Map<string, number>) => Promise<void>) {
    const told: [string, number][][] = [];
    const errors: unknown[] = [];
    const b = new Batcher<string, number>(
      1000,
      Math.max,
      tell ??
        (async (batch) => {
          told.push([...batch]);
        }),
      (err) => errors.push(err),
    );
    return { b, told, errors };
  }

  it('tells the changes of one moment together, each key once and merged, a moment after the first', async () => {
    const { b, told } = batcher();
    b.add('kim', 3);
    await jest.advanceTimersByTimeAsync(400);
    b.add('lee', 1);
    b.add('kim', 7);
    b.add('kim', 5);
    await jest.advanceTimersByTimeAsync(599);
    expect(told).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(told).toEqual([
      [
        ['kim', 7],
        ['lee', 1],
      ],
    ]);
    // Quiet: nothing more is told.
    await jest.advanceTimersByTimeAsync(5000);
    expect(told).toHaveLength(1);
    // The next change starts the next batch.
    b.add('park', 2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(told[1]).toEqual([['park', 2]]);
  });

  it('tells what is pending at once when flushed, and nothing twice', async () => {
    const { b, told } = batcher();
    b.add('kim', 1);
    await b.flush();
    await b.flush();
    await jest.advanceTimersByTimeAsync(2000);
    expect(told).toEqual([[['kim', 1]]]);
  });

  it('hands a failure to its error handler and goes on with the next batch', async () => {
    let fail = true;
    const told: [string, number][][] = [];
    const { b, errors } = batcher(async (batch) => {
      if (fail) throw new Error('store away');
      told.push([...batch]);
    });
    b.add('kim', 1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual([new Error('store away')]);
    fail = false;
    b.add('lee', 1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(told).toEqual([[['lee', 1]]]);
  });

  it('tells nothing once stopped', async () => {
    const { b, told } = batcher();
    b.add('kim', 1);
    b.stop();
    b.add('lee', 1);
    await jest.advanceTimersByTimeAsync(5000);
    await b.flush();
    expect(told).toEqual([]);
  });
});
