/**
 * Retries `check` until it stops throwing and returns what it returned; rethrows its last error after
 * `timeoutMs`. For assertions on something that settles in the background (a catalog that processes, a sync).
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 45_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}
