import { eventually } from './eventually';

describe('eventually', () => {
  it('should retry until the check stops throwing and return its value', async () => {
    let attempts = 0;
    const value = await eventually(async () => {
      attempts += 1;
      if (attempts < 3) {
        throw new Error(`not yet (${attempts})`);
      }
      return 'settled';
    }, 5_000);

    expect(value).toBe('settled');
    expect(attempts).toBe(3);
  });

  it('should rethrow the last error once the time is up', async () => {
    let attempts = 0;
    await expect(
      eventually(async () => {
        attempts += 1;
        throw new Error(`attempt ${attempts}`);
      }, 300),
    ).rejects.toThrow(/^attempt [2-9]$/);
  });
});
