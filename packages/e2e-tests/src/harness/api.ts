import { EmulatorControlClient } from '@aws-access/emulators';
import { awsEmulatorUrl, backendUrl } from './paths';

const tokens = new Map<string, string>();

/** A Backstage token for a user of the demo, from the dev sign-in provider (as the sign-in page gets it). */
export async function tokenFor(userEntityRef: string): Promise<string> {
  const cached = tokens.get(userEntityRef);
  if (cached) return cached;
  const response = await fetch(`${backendUrl}/api/auth/dev/refresh`, {
    headers: {
      'x-aws-access-dev-user': userEntityRef,
      'X-Requested-With': 'XMLHttpRequest',
    },
  });
  if (!response.ok)
    throw new Error(
      `Could not sign in as ${userEntityRef}: ${
        response.status
      } ${await response.text()}`,
    );
  const token = (await response.json()).backstageIdentity.token as string;
  tokens.set(userEntityRef, token);
  return token;
}

/** Calls the aws-access API as a user. */
export async function api<T = any>(
  userEntityRef: string,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const response = await fetch(`${backendUrl}/api/aws-access${path}`, {
    ...init,
    headers: {
      ...init.headers,
      Authorization: `Bearer ${await tokenFor(userEntityRef)}`,
      'Content-Type': 'application/json',
    },
  });
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${path} as ${userEntityRef}: ${
        response.status
      } ${await response.text()}`,
    );
  return response.json() as Promise<T>;
}

/** The emulators' control API (Entra changes, SCIM cycles) on the AWS port. */
export const emulator = EmulatorControlClient.create({
  baseUrl: `${awsEmulatorUrl}/_emulator`,
});

/** Polls until `check` returns a value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/**
 * Starts a full sync as the platform team and waits until that run committed; returns its snapshot version. Other
 * commits meanwhile (Entra's own refresh, targeted refreshes) do not count: they may land while the run still reads.
 */
export async function syncNow(): Promise<number> {
  const SARA = 'user:default/sara_example.com';
  let sentAt = 0;
  await eventually('the sync to be accepted', async () => {
    sentAt = Date.now();
    const response = await fetch(`${backendUrl}/api/aws-access/sync`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await tokenFor(SARA)}` },
    });
    return response.status === 202; // 409 while another run is in progress
  });
  const run = await eventually('the sync it started to finish', async () => {
    const status = await api(SARA, '/sync/status');
    return (status.recentRuns as Array<Record<string, any>>).find(
      r =>
        r.trigger !== 'targeted' &&
        Date.parse(r.startedAt) >= sentAt &&
        r.outcome !== 'running',
    );
  });
  if (run.outcome !== 'succeeded' || run.snapshotVersion === undefined)
    throw new Error(`The sync it started ended ${JSON.stringify(run)}`);
  return run.snapshotVersion as number;
}
