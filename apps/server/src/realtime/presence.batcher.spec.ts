import { PresenceBatcher } from './presence.batcher';

describe('PresenceBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function batcher() {
    const told: string[][] = [];
    const errors: unknown[] = [];
    const b = new PresenceBatcher(
      1000,
      async (ids) => {
        told.push(ids);
      },
      (err) => errors.push(err),
    );
    return { b, told, errors };
  }

  it('tells the changes of one moment together, each user once, a moment after the first', async () => {
    const { b, told } = batcher();
    b.changed('kim');
    await jest.advanceTimersByTimeAsync(400);
    b.changed('lee');
    b.changed('kim');
    await jest.advanceTimersByTimeAsync(599);
    expect(told).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(told).toEqual([['kim', 'lee']]);
    // Quiet: nothing more is told.
    await jest.advanceTimersByTimeAsync(5000);
    expect(told).toHaveLength(1);
    // The next change starts the next batch.
    b.changed('park');
    await jest.advanceTimersByTimeAsync(1000);
    expect(told).toEqual([['kim', 'lee'], ['park']]);
  });

  it('tells what is pending at once when flushed, and nothing twice', async () => {
    const { b, told } = batcher();
    b.changed('kim');
    await b.flush();
    await b.flush();
    await jest.advanceTimersByTimeAsync(2000);
    expect(told).toEqual([['kim']]);
  });

  it('hands a failure to its error handler and goes on with the next batch', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const told: string[][] = [];
    const b = new PresenceBatcher(
      1000,
      async (ids) => {
        if (fail) throw new Error('store away');
        told.push(ids);
      },
      (err) => errors.push(err),
    );
    b.changed('kim');
    await jest.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual([new Error('store away')]);
    fail = false;
    b.changed('lee');
    await jest.advanceTimersByTimeAsync(1000);
    expect(told).toEqual([['lee']]);
  });

  it('tells nothing once stopped', async () => {
    const { b, told } = batcher();
    b.changed('kim');
    b.stop();
    b.changed('lee');
    await jest.advanceTimersByTimeAsync(5000);
    await b.flush();
    expect(told).toEqual([]);
  });
});
