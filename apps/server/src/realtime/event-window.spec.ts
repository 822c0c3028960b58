import { EventWindow } from './event-window';

describe('EventWindow', () => {
  it('lets the budget through, refuses the rest with the time left, and opens again once the window closes', () => {
    const w = new EventWindow(3, 1000);
    expect([w.take(10_000), w.take(10_100), w.take(10_200)]).toEqual([0, 0, 0]);
    expect(w.take(10_400)).toBe(600);
    expect(w.take(10_999)).toBe(1);
    expect(w.take(11_000)).toBe(0);
    expect([w.take(11_500), w.take(11_600)]).toEqual([0, 0]);
    expect(w.take(11_700)).toBe(300);
  });

  it('refused events count too: a client that keeps hammering stays refused until the window closes', () => {
    const w = new EventWindow(1, 1000);
    expect(w.take(5000)).toBe(0);
    for (let t = 5001; t < 6000; t += 100) expect(w.take(t)).toBe(6000 - t);
    expect(w.take(6000)).toBe(0);
  });
});
