import type { CacheableList, CachedListRequest } from './AccessListCache';
import { AccessIndex } from '../../snapshot/AccessIndex';
import { miniSnapshot } from '../../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../../snapshot/model';
import { parsePageQuery } from '../pageQuery';
import { AccessListCache } from './AccessListCache';
import { accessPage } from './accessPage';
import type {
  AccountAccess,
  GroupAccess,
} from '@aws-access/plugin-aws-access-common';
import { PrincipalView } from '../../auth/PrincipalView';
import { accountAccess } from './accounts';
import { groupAccessBody } from './groupAccess';
import { toGrant } from './userAccess';

/*
 * The mini organisation: Aamir (the joiner) has been pending since 08:50; two provisioning cycles of 40 minutes
 * later, just after 10:10, his grants turn stuck. A kept list must not outlive that.
 */

const build = () => AccessIndex.build({ snapshot: miniSnapshot(), version: 1 });
const BEFORE_STUCK = new Date('2026-11-30T10:09:00Z');
const AFTER_STUCK = new Date('2026-11-30T10:11:00Z');

/** Everyone's grants as one list, with a counter of how often the list was built. */
function everyone(index: AccessIndex) {
  const calls = { count: 0 };
  const entries = () => {
    calls.count++;
    return index.persons.map(person => ({ person, grants: person.grants }));
  };
  return { entries, calls };
}

function page(
  index: AccessIndex,
  entries: ReturnType<typeof everyone>['entries'],
  now: Date,
  cache: AccessListCache | undefined,
  query: Record<string, string> = {},
) {
  return accessPage(
    index,
    entries,
    parsePageQuery(query, 'member'),
    now,
    grant => toGrant(index, grant, now),
    { caching: cache && { cache, list: 'everyone' } },
  );
}

/** The cache, counting the lists it had built (a kept list is not built). */
class CountingCache extends AccessListCache {
  builds = 0;
  get<T extends CacheableList, I>(
    index: AccessIndex,
    request: CachedListRequest<I>,
    now: Date,
    buildList: () => T,
  ): T {
    return super.get(index, request, now, () => {
      this.builds++;
      return buildList();
    });
  }
}

/** A later version of the mini organisation, with `change` made to it. */
function version(number: number, change: (snapshot: Snapshot) => void) {
  const snapshot = miniSnapshot();
  change(snapshot);
  return AccessIndex.build({ snapshot, version: number });
}
const user = (snapshot: Snapshot, id: string) =>
  snapshot.identity.users.find(u => u.id === id)!;
const group = (snapshot: Snapshot, id: string) =>
  snapshot.identity.groups.find(g => g.id === id)!;

/** A page of AWS-Developers-PowerUser's members: Shen, Alex and Maria. */
function powerUsers(
  index: AccessIndex,
  cache: AccessListCache | undefined,
  query: Record<string, string> = {},
) {
  const powerUser = index.snapshot.identity.groups.find(g => g.id === 'g-pu')!;
  return JSON.parse(
    groupAccessBody(
      index,
      powerUser,
      BEFORE_STUCK,
      3_600_000,
      parsePageQuery({ limit: '2', ...query }, 'member'),
      cache,
    ).toString(),
  ) as GroupAccess;
}

/** What a group's answer says of its members (the sync summary names the version). */
const listOf = ({
  members,
  summary,
  page: at,
}: ReturnType<typeof powerUsers>) => ({
  members,
  summary,
  at,
});

const aamirStates = (result: ReturnType<typeof page>) =>
  result.people
    .find(p => p.user.entityRef === 'user:default/aamir_example.com')!
    .grants.map(g => g.state);

describe('AccessListCache', () => {
  it('builds a list once per index and sort/filter, and serves the same pages as without it', () => {
    const index = build();
    const cache = new AccessListCache();
    const { entries, calls } = everyone(index);
    const first = page(index, entries, BEFORE_STUCK, cache, { limit: '3' });
    const next = page(index, entries, BEFORE_STUCK, cache, {
      limit: '3',
      offset: '3',
    });
    expect(calls.count).toBe(1);
    expect(first).toEqual(
      page(index, entries, BEFORE_STUCK, undefined, { limit: '3' }),
    );
    expect(next).toEqual(
      page(index, entries, BEFORE_STUCK, undefined, {
        limit: '3',
        offset: '3',
      }),
    );

    page(index, entries, BEFORE_STUCK, cache, { sort: 'account' });
    page(index, entries, BEFORE_STUCK, cache, { state: 'pending' });
    expect(cache.size).toBe(3);
  });

  it('rebuilds once a pending grant in the list has turned stuck', () => {
    const index = build();
    const cache = new AccessListCache();
    const { entries, calls } = everyone(index);
    expect(aamirStates(page(index, entries, BEFORE_STUCK, cache))).toContain(
      'pending',
    );
    const later = page(index, entries, AFTER_STUCK, cache);
    expect(calls.count).toBe(2);
    expect(aamirStates(later)).not.toContain('pending');
    expect(aamirStates(later)).toContain('stuck');
    expect(later.summary.states.stuck).toBeGreaterThan(0);
  });

  it('keeps a list across versions when only someone else changed, and rebuilds it when its inputs did', () => {
    const cache = new CountingCache();
    const v1 = AccessIndex.build({ snapshot: miniSnapshot(), version: 1 });
    const first = powerUsers(v1, cache);
    expect(cache.builds).toBe(1);
    expect(powerUsers(v1, cache, { offset: '2' }).page?.offset).toBe(2);
    expect(cache.builds).toBe(1);

    // Noah (not a PowerUser) is renamed and the unmanaged break-glass user loses his assignment.
    const v2 = version(2, snapshot => {
      user(snapshot, 'u-noah').displayName = 'Noah K.';
      snapshot.aws.assignments = snapshot.aws.assignments.filter(
        a => a.principalId !== 'i-bg',
      );
    });
    expect(listOf(powerUsers(v2, cache))).toEqual(listOf(first));
    expect(powerUsers(v2, cache)).toEqual(powerUsers(v2, undefined));
    expect(cache.builds).toBe(1);

    // Maria is in the list: her new name must show (and sort).
    const v3 = version(3, snapshot => {
      user(snapshot, 'u-maria').displayName = 'Aaria';
    });
    const renamed = powerUsers(v3, cache);
    expect(cache.builds).toBe(2);
    expect(renamed.members[0].user.displayName).toBe('Aaria');
    expect(renamed).toEqual(powerUsers(v3, undefined));
  });

  it.each([
    [
      'a member joins the group',
      (snapshot: Snapshot) =>
        group(snapshot, 'g-pu').memberUserIds.push('u-noah'),
    ],
    [
      'a member leaves AWS',
      (snapshot: Snapshot) => {
        snapshot.aws.groups.find(g => g.id === 'ig-pu')!.memberUserIds = [
          'i-maria',
        ];
      },
    ],
    [
      "a member's mail changes (the member filter matches it)",
      (snapshot: Snapshot) => {
        user(snapshot, 'u-maria').mail = 'maria.gonzalez@example.com';
      },
    ],
    [
      "one of the list's accounts is renamed",
      (snapshot: Snapshot) => {
        snapshot.aws.accounts[0].name = 'payments-development';
      },
    ],
    [
      "one of the list's permission sets is renamed",
      (snapshot: Snapshot) => {
        snapshot.aws.permissionSets[1].name = 'DeveloperPowerUsers';
      },
    ],
    [
      'the provisioning job is paused (pending never turns stuck)',
      (snapshot: Snapshot) => {
        snapshot.identity.provisioning.status = 'Paused';
      },
    ],
  ])('rebuilds a kept list when %s', (_, change) => {
    const cache = new CountingCache();
    powerUsers(
      AccessIndex.build({ snapshot: miniSnapshot(), version: 1 }),
      cache,
    );
    const next = version(2, change);
    expect(powerUsers(next, cache)).toEqual(powerUsers(next, undefined));
    expect(cache.builds).toBe(2);
  });

  it('drops the least recently used list past its bounds, and keeps none larger than the row budget', () => {
    const index = build();
    const rows = index.persons.reduce(
      (sum, p) => sum + Math.max(1, p.grants.length),
      0,
    );
    const cache = new AccessListCache({ maxLists: 2, maxRows: rows * 2 });
    const { entries, calls } = everyone(index);
    page(index, entries, BEFORE_STUCK, cache, { member: 'a' });
    page(index, entries, BEFORE_STUCK, cache, { member: 'b' });
    page(index, entries, BEFORE_STUCK, cache, { member: 'a' }); // a is now the most recent
    page(index, entries, BEFORE_STUCK, cache, { member: 'c' }); // evicts b
    expect(calls.count).toBe(3);
    page(index, entries, BEFORE_STUCK, cache, { member: 'a' });
    expect(calls.count).toBe(3);
    page(index, entries, BEFORE_STUCK, cache, { member: 'b' });
    expect(calls.count).toBe(4);

    const tiny = new AccessListCache({ maxLists: 2, maxRows: rows - 1 });
    page(index, entries, BEFORE_STUCK, tiny);
    expect(tiny.size).toBe(0);
  });
});

describe('accountAccess with a cache', () => {
  /** payments-prod: ReadOnly to the ReadOnly and PowerUser groups (Aamir, Shen, Alex, Maria). */
  const PAYMENTS_PROD = '200000000003';
  const DATA_LAKE = '200000000006';

  /** What the caller sees of an account, as JSON text (what the route sends). */
  const accountPage = (
    index: AccessIndex,
    view: PrincipalView,
    cache: AccessListCache | undefined,
    query: Record<string, string> = {},
    accountId = PAYMENTS_PROD,
  ) =>
    JSON.stringify(
      accountAccess(
        index,
        index.accountsById.get(accountId)!,
        BEFORE_STUCK,
        3_600_000,
        view,
        parsePageQuery(query, 'member'),
        cache,
      ),
    );
  const peopleOf = (text: string) =>
    (JSON.parse(text) as AccountAccess).people.map(p => p.user.displayName);
  /** A caller who lists no account and may read only their own access. */
  const only = (index: AccessIndex, name: string) => {
    const self = index.persons.find(p => p.displayName === name)!;
    return PrincipalView.reduced({
      index,
      self,
      ownedAccounts: new Set(),
      readablePerson: person => person.key === self.key,
    });
  };
  const owner = (index: AccessIndex) =>
    PrincipalView.reduced({
      index,
      ownedAccounts: new Set([PAYMENTS_PROD]),
      readablePerson: () => false,
    });

  it("sorts an account's whole list once per index for every caller who sees it all, and sends what a fresh build would", () => {
    const index = build();
    const cache = new CountingCache();
    const first = accountPage(index, PrincipalView.everything, cache);
    expect(cache.builds).toBe(1);
    expect(peopleOf(first)).toEqual(['Aamir', 'Alex', 'Maria', 'Shen']);

    // Read-all again, and the account's owner: the kept list, the same answer.
    expect(accountPage(index, PrincipalView.everything, cache)).toBe(first);
    expect(accountPage(index, owner(index), cache)).toBe(first);
    // Another page of it is a slice of the kept list.
    const second = accountPage(index, PrincipalView.everything, cache, {
      limit: '2',
      offset: '2',
    });
    expect(peopleOf(second)).toEqual(['Maria', 'Shen']);
    expect(cache.builds).toBe(1);
    expect(first).toBe(accountPage(index, PrincipalView.everything, undefined));

    // Another account is another list.
    const dataLake = accountPage(
      index,
      PrincipalView.everything,
      cache,
      {},
      DATA_LAKE,
    );
    expect(peopleOf(dataLake)).toEqual(['Noah']);
    expect(cache.builds).toBe(2);
  });

  it("keeps an account's list across versions while its grants stay, and shows a change to them at once", () => {
    const cache = new CountingCache();
    const everything = PrincipalView.everything;
    const first = accountPage(build(), everything, cache);

    // Only data-lake's assignment goes: payments-prod's list is kept.
    const v2 = version(2, snapshot => {
      snapshot.aws.assignments = snapshot.aws.assignments.filter(
        a => a.accountId !== DATA_LAKE,
      );
    });
    expect(accountPage(v2, everything, cache)).toBe(
      accountPage(v2, everything, undefined),
    );
    expect(JSON.parse(accountPage(v2, everything, cache)).people).toEqual(
      JSON.parse(first).people,
    );
    expect(cache.builds).toBe(1);

    // The PowerUser group loses payments-prod: Alex's and Maria's rows there go.
    const v3 = version(3, snapshot => {
      snapshot.aws.assignments = snapshot.aws.assignments.filter(
        a => !(a.accountId === PAYMENTS_PROD && a.principalId === 'ig-pu'),
      );
    });
    const changed = accountPage(v3, everything, cache);
    expect(cache.builds).toBe(2);
    expect(changed).toBe(accountPage(v3, everything, undefined));
    expect(peopleOf(changed)).not.toContain('Maria');
    expect(JSON.parse(changed).summary).not.toEqual(JSON.parse(first).summary);
  });

  it('never gives a caller who sees only their own rows anyone else’s, before or after a read-all caller filled it', () => {
    const index = build();
    const cache = new CountingCache();
    const asMaria = () => accountPage(index, only(index, 'Maria'), cache);
    const fresh = accountPage(index, only(index, 'Maria'), undefined);
    expect(peopleOf(fresh)).toEqual(['Maria']);

    expect(asMaria()).toBe(fresh);
    // Her rows are not kept: read-all gets the whole list, not hers.
    expect(cache.size).toBe(0);
    const all = accountPage(index, PrincipalView.everything, cache);
    expect(all).toBe(accountPage(index, PrincipalView.everything, undefined));
    expect(peopleOf(all)).toEqual(['Aamir', 'Alex', 'Maria', 'Shen']);

    // With the whole list kept, she still gets her own rows and the counts of the rest.
    expect(asMaria()).toBe(fresh);
    expect(JSON.parse(asMaria()).principalsHidden.people).toBe(3);
    expect(cache.builds).toBe(1);
  });
});
