/** Default time allowed for fetching the projection from the aws-access backend. */
export const FETCH_TIMEOUT_MS = 120_000;

/**
 * Rejects when the promise has not settled within `ms` (the -node client has no request timeout; a hung request
 * must not block later refreshes forever).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${ms} ms`)),
      ms,
    );
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
