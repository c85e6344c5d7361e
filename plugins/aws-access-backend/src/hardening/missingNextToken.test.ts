import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { WireTap } from './__testUtils__/faultWorld';
import { settle, startFaultWorld } from './__testUtils__/faultWorld';

/*
 * Issue 11, fault matrix, the eighth fault: a listing whose continuation token goes missing mid-way. No emulator
 * fault does that, so a wire tap between the readers and the emulators drops it.
 *
 * What can and cannot be detected:
 *   - Graph delta listings (users/delta, groups/delta) must end in an @odata.deltaLink: a page without nextLink
 *     and deltaLink is a broken listing, the run fails with `paging-broken` and nothing changes.
 *   - An AWS listing (NextToken) or a plain Graph collection (appRoleAssignedTo, synchronization/jobs, audit
 *     logs; @odata.nextLink) cut short looks exactly like a shorter, complete listing. The mass-delete brake is
 *     the defence: a cut that loses more than the threshold (20 %) of accounts, assignments or users is held
 *     back and not served; a smaller cut is indistinguishable from a real change and is served.
 */

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'a missing continuation token on %p',
  (databaseId: TestDatabaseId) => {
    let tap: WireTap = {};
    let w: Awaited<ReturnType<typeof startFaultWorld>>;

    beforeAll(async () => {
      w = await startFaultWorld(databases, databaseId, {
        // No fault here is a timeout: a generous limit, so a loaded machine's slow answer is not a failed run.
        requestTimeoutMs: 30_000,
        tap: () => tap,
      });
    });
    afterAll(async () => {
      await w?.world.emulators.close();
    });

    /** Drops the continuation of the k-th page the reader receives of one listing in the next run. */
    function dropGraphContinuation(listing: string, page: number) {
      let seen = 0;
      tap = {
        graph: (path, response) => {
          if (!path.includes(listing)) return response;
          seen += 1;
          if (seen !== page) return response;
          const {
            '@odata.nextLink': _next,
            '@odata.deltaLink': _delta,
            ...rest
          } = response;
          return rest;
        },
      };
    }

    const graphCases: Array<[string, string, number, boolean]> = [];
    for (const listing of ['/users/delta', '/groups/delta']) {
      // The full read of 9 users and 8 groups in pages of three: three pages each.
      graphCases.push([listing, 'first page of the full read', 1, true]);
      graphCases.push([listing, 'middle page of the full read', 2, true]);
      graphCases.push([
        listing,
        'last page of the full read (its deltaLink)',
        3,
        true,
      ]);
      graphCases.push([
        listing,
        'steady-state round (its deltaLink)',
        1,
        false,
      ]);
    }

    it.each(graphCases)(
      'fails the run when %s loses its continuation on the %s',
      async (listing, _where, page, fullRead) => {
        const before = await w.store.rawLatest();
        await settle(w.world);
        if (fullRead) await w.world.emulators.control.expireDeltaTokens();
        dropGraphContinuation(listing, page);
        const run = await w.sync.run();
        tap = {};
        expect(run).toMatchObject({
          outcome: 'failed',
          error: { source: 'graph', class: 'paging-broken' },
        });
        expect(run.error!.message).toMatch(/ended without a deltaLink/);
        expect(await w.store.rawLatest()).toEqual(before);
        // A clean run (new delta tokens after expiring them): the next case starts from a valid steady state.
        expect((await w.sync.run()).outcome).toBe('succeeded');
      },
    );

    it('holds back an AWS listing cut by more than the brake threshold, and serves a smaller cut (undetectable)', async () => {
      const { control } = w.world.emulators;
      // 30 more accounts: ListAccounts (20 per page) has pages of 20, 20 and 2.
      for (let i = 1; i <= 30; i++) {
        await control.createAccount({
          name: `extra-${i}`,
          email: `aws+extra-${i}@example.com`,
        });
      }
      expect((await w.sync.run()).outcome).toBe('succeeded');
      const full = await w.store.latest();
      expect(full!.snapshot.aws.accounts).toHaveLength(42);
      const before = await w.store.rawLatest();

      const cutAfter = (page: number) => {
        let seen = 0;
        tap = {
          aws: (operation, output) => {
            if (operation !== 'ListAccounts') return output;
            seen += 1;
            return seen === page ? { ...output, NextToken: undefined } : output;
          },
        };
      };

      // Cut after the first page: 20 of 42 accounts (-52 %): held back, the served snapshot is unchanged.
      cutAfter(1);
      const held = await w.sync.run();
      expect(held).toMatchObject({
        outcome: 'held',
        error: { source: 'brake', class: 'mass-delete' },
      });
      expect(held.error!.message).toMatch(
        /accounts would drop by 52 % \(42 → 20\)/,
      );
      expect(await w.store.rawLatest()).toEqual(before);
      expect(await w.store.held()).toMatchObject({
        counts: { accounts: 20 },
        previousCounts: { accounts: 42 },
      });

      // Cut after the middle page: 40 of 42 (-5 %), below the threshold: it looks like two accounts left the
      // organization, and is served. This is the limit of what a reader can know from a listing.
      cutAfter(2);
      const cut = await w.sync.run();
      expect(cut.outcome).toBe('succeeded');
      expect((await w.store.latest())!.snapshot.aws.accounts).toHaveLength(40);

      // The next complete listing restores them (and supersedes the held snapshot).
      tap = {};
      expect((await w.sync.run()).outcome).toBe('succeeded');
      expect((await w.store.latest())!.snapshot.aws.accounts).toHaveLength(42);
      expect(await w.store.held()).toBeUndefined();
    });
  },
);
