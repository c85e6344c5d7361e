import { getEventListeners } from 'node:events';
import { RequestBudget, sleep } from './RequestBudget';

describe('RequestBudget', () => {
  it('hands out its burst at once, then one token per 1/perSecond, in arrival order', async () => {
    const budget = new RequestBudget({ perSecond: 20, burst: 2 });
    const started = Date.now();
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(i => budget.acquire().then(() => order.push(i))),
    );
    // Two from the burst, then three more at 50 ms each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects a waiting caller whose signal aborts, and serves the next one', async () => {
    const budget = new RequestBudget({ perSecond: 4, burst: 1 });
    await budget.acquire();
    const controller = new AbortController();
    const waiting = budget.acquire(controller.signal);
    controller.abort(new Error('run stopped'));
    await expect(waiting).rejects.toThrow('run stopped');
    // The queue goes on: the next caller gets the following token.
    await expect(budget.acquire()).resolves.toBeUndefined();
  });
});

describe('sleep', () => {
  it('should leave no listener on the signal once it has slept', async () => {
    // The change-event consumer sleeps on its task's signal many times in one run.
    const signal = new AbortController().signal;
    for (let i = 0; i < 20; i++) await sleep(1, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('should reject with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(slept).rejects.toThrow('stopped');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
