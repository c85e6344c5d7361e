import { AccessIndex } from '../../snapshot/AccessIndex';
import { miniSnapshot } from '../../snapshot/__fixtures__/miniSnapshot';
import { parsePageQuery } from '../pageQuery';
import { AccessListCache } from './AccessListCache';
import { accessPage } from './accessPage';
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

  it('forgets the lists of an older index', () => {
    const cache = new AccessListCache();
    const old = build();
    page(old, everyone(old).entries, BEFORE_STUCK, cache);
    const fresh = build();
    const { entries, calls } = everyone(fresh);
    page(fresh, entries, BEFORE_STUCK, cache);
    expect(calls.count).toBe(1);
    expect(cache.size).toBe(1);
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
