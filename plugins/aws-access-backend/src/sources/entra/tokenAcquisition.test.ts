import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import { RequestStats } from '../requests/RequestStats';

jest.setTimeout(120_000);

const METADATA = 'GET /{tenant}/v2.0/.well-known/openid-configuration';
const TOKEN_ENDPOINT = 'POST /{tenant}/oauth2/v2.0/token';

/*
 * Before its first token, MSAL reads the authority's OpenID metadata. When that read fails (a dropped connection,
 * a login endpoint that answers 5xx for a moment), @azure/identity retries it three times and then gives up with
 * MSAL's `endpoints_resolution_error` (as CredentialUnavailableError, no status code). That is the login service
 * having a bad moment, not a wrong configuration: the read retries it as it retries Graph itself. (The bench's
 * `large` runs that failed with this error did not trust the emulators' CA: see packages/bench/bin/trustedCas.js.
 * A TLS failure is not retried by @azure/identity, so the read's own attempts ran out at once.)
 */
describe('Graph token acquisition', () => {
  it("retries a read whose token failed because the authority's metadata could not be read", async () => {
    const world = await startEmulatorWorld();
    const { control } = world.emulators;
    try {
      // One more failure than @azure/identity's own retries absorb: the first token acquisition fails.
      await control.injectFault({
        service: 'graph',
        operation: METADATA,
        kind: 'reset',
        times: 4,
      });
      const stats = new RequestStats();
      const side = await world.sources.identity!.read({
        stats,
        now: new Date(),
      });

      expect(side.users.length).toBeGreaterThan(0);
      const counters = await control.getCounters();
      expect(counters.login[METADATA]).toBe(5);
      expect(counters.login[TOKEN_ENDPOINT]).toBe(1);
      expect(stats.snapshot().graph?.retries).toBeGreaterThanOrEqual(1);
    } finally {
      await world.emulators.close();
    }
  });
});
