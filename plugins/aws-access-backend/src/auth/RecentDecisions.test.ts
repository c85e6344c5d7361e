import { RecentDecisions } from './RecentDecisions';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RecentDecisions', () => {
  it('reuses a key’s decision within the TTL and decides again after it', async () => {
    const time = clock();
    const decisions = new RecentDecisions({ ttlMs: 5000, now: time.now });
    const decide = jest.fn(async () => 'allow');
    await decisions.decide('token-a', decide);
    time.advance(4999);
    await expect(decisions.decide('token-a', decide)).resolves.toBe('allow');
    expect(decide).toHaveBeenCalledTimes(1);
    time.advance(1);
    await decisions.decide('token-a', decide);
    expect(decide).toHaveBeenCalledTimes(2);
  });

  it('keeps keys apart, and decides every time without a key or a TTL', async () => {
    const time = clock();
    const decisions = new RecentDecisions({ ttlMs: 5000, now: time.now });
    await decisions.decide('token-a', async () => 'allow');
    await expect(decisions.decide('token-b', async () => 'deny')).resolves.toBe(
      'deny',
    );
    const unkeyed = jest.fn(async () => 'deny');
    await decisions.decide(undefined, unkeyed);
    await decisions.decide(undefined, unkeyed);
    expect(unkeyed).toHaveBeenCalledTimes(2);

    const never = new RecentDecisions({ ttlMs: 0, now: time.now });
    const decide = jest.fn(async () => 'allow');
    await never.decide('token-a', decide);
    await never.decide('token-a', decide);
    expect(decide).toHaveBeenCalledTimes(2);
    expect(never.size).toBe(0);
  });

  it('lets callers asking at once share one decision', async () => {
    const decisions = new RecentDecisions({ ttlMs: 5000 });
    let answer!: (value: string) => void;
    const decide = jest.fn(
      () => new Promise<string>(resolve => (answer = resolve)),
    );
    const first = decisions.decide('token-a', decide);
    const second = decisions.decide('token-a', decide);
    answer('allow');
    await expect(Promise.all([first, second])).resolves.toEqual([
      'allow',
      'allow',
    ]);
    expect(decide).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed decision', async () => {
    const decisions = new RecentDecisions({ ttlMs: 5000 });
    await expect(
      decisions.decide('token-a', async () => {
        throw new Error('permission backend unreachable');
      }),
    ).rejects.toThrow('permission backend unreachable');
    await expect(
      decisions.decide('token-a', async () => 'allow'),
    ).resolves.toBe('allow');
  });

  it('forgets expired decisions as new ones come, and never holds more than 10,000', async () => {
    const time = clock();
    const decisions = new RecentDecisions({ ttlMs: 5000, now: time.now });
    for (let i = 0; i < 100; i++)
      await decisions.decide(`old-${i}`, async () => i);
    time.advance(5000);
    await decisions.decide('new', async () => 0);
    expect(decisions.size).toBe(1);

    for (let i = 0; i < 10_001; i++)
      await decisions.decide(`token-${i}`, async () => i);
    expect(decisions.size).toBe(10_000);
    // The oldest went first: token-0 is decided again, the newest is kept.
    const decide = jest.fn(async () => -1);
    await decisions.decide('token-10000', decide);
    expect(decide).not.toHaveBeenCalled();
    await decisions.decide('token-0', decide);
    expect(decide).toHaveBeenCalledTimes(1);
  });
});
