import { AccessIndex } from '../../snapshot/AccessIndex';
import type { PersonGrant } from '../../snapshot/AccessIndex';
import { miniSnapshot } from '../../snapshot/__fixtures__/miniSnapshot';
import { parsePageQuery } from '../pageQuery';
import { AccessListCache } from './AccessListCache';
import { accessPage, accessPageText } from './accessPage';
import { syncSummary } from './common';
import { groupAccessBody, membersOf } from './groupAccess';
import { grantHoldsUntil, toGrant } from './userAccess';

/*
 * A team's page as text (issue 18: a 200-member team serves as many requests as the catalog's by-name). The mini
 * organisation's last provisioning cycle started at 08:45 (every 40 minutes: 09:25, 10:05, ...); Aamir has been
 * pending since 08:50, expected by the next cycle, and stuck after 10:10.
 */

const STALE_AFTER_MS = 3_600_000;
const at = (time: string) => new Date(`2026-11-30T${time}Z`);
const build = (version = 1) =>
  AccessIndex.build({ snapshot: miniSnapshot(), version });

/** Everyone's grants as one kept list, and how many grant DTOs its pages made. */
function everyone(index: AccessIndex, cache: AccessListCache) {
  const made = { grants: 0 };
  const page = (now: Date, query: Record<string, string> = {}) =>
    accessPageText(
      index,
      () => index.persons.map(person => ({ person, grants: person.grants })),
      parsePageQuery(query, 'member'),
      now,
      {
        toGrant: grant => {
          made.grants++;
          return toGrant(index, grant, now);
        },
        holdsUntil: grant => grantHoldsUntil(index, grant, now),
      },
      { caching: { cache, list: 'everyone' } },
    );
  return { page, made };
}

describe('groupAccessBody', () => {
  it.each([
    ['the first page', {}],
    ['a short page', { limit: '1' }],
    ['a later page', { limit: '1', offset: '1' }],
    ['a page sorted by state, descending', { sort: 'state', order: 'desc' }],
    ['a filtered page', { state: 'pending' }],
  ])(
    'is, for %s, the very text JSON.stringify made of the GroupAccess',
    (_, query) => {
      const index = build();
      const now = at('09:00:00');
      const group = index.snapshot.identity.groups.find(g => g.id === 'g-ro')!;
      const request = parsePageQuery(query, 'member');
      const cache = new AccessListCache();
      // Twice with the cache: the kept page must be the same text as a fresh one.
      const texts = [1, 2].map(() =>
        groupAccessBody(
          index,
          group,
          now,
          STALE_AFTER_MS,
          request,
          cache,
        ).toString(),
      );
      const { group: head, assignments } = JSON.parse(texts[0]);
      const { people, summary, page } = accessPage(
        index,
        () => membersOf(index, group),
        request,
        now,
        grant => toGrant(index, grant, now),
        { withAccounts: true },
      );
      const expected = JSON.stringify({
        group: head,
        assignments,
        members: people,
        sync: syncSummary(index, now, STALE_AFTER_MS),
        summary,
        page,
      });
      expect(texts).toEqual([expected, expected]);
      expect(people.length).toBeGreaterThan(0);
    },
  );
});

describe('groupAccessBody with a cache', () => {
  const group = (index: AccessIndex, id: string) =>
    index.snapshot.identity.groups.find(g => g.id === id)!;
  const body = (
    index: AccessIndex,
    id: string,
    time: string,
    query: Record<string, string>,
    cache?: AccessListCache,
  ) =>
    groupAccessBody(
      index,
      group(index, id),
      at(time),
      STALE_AFTER_MS,
      parsePageQuery(query, 'member'),
      cache,
    );

  it('sends the bytes it kept only while a fresh body would be the same: never another group, page, second or snapshot', () => {
    const cache = new AccessListCache();
    const [v1, v2] = [build(1), build(2)];
    const requests: Array<
      [AccessIndex, string, string, Record<string, string>]
    > = [
      [v1, 'g-pu', '09:00:00', {}],
      [v1, 'g-pu', '09:00:00', {}],
      // The sync summary's age moves by the second; the kept page does not.
      [v1, 'g-pu', '09:00:01', {}],
      [v1, 'g-pu', '09:00:01', { limit: '1' }],
      [v1, 'g-pu', '09:00:01', { limit: '1', offset: '1' }],
      [v1, 'g-pu', '09:00:01', { sort: 'state', order: 'desc' }],
      // Another group's head (name, assignments) and members.
      [v1, 'g-ro', '09:00:01', {}],
      [v1, 'g-da', '09:00:01', {}],
      [v1, 'g-pu', '09:00:01', {}],
      // Aamir's pending grants are expected by the next cycle after 09:25.
      [v1, 'g-ro', '09:25:00', {}],
      [v1, 'g-ro', '09:25:00.001', {}],
      // A new snapshot version with the same people.
      [v2, 'g-pu', '09:25:00.001', {}],
      [v1, 'g-pu', '09:25:00.001', {}],
    ];
    const sent = requests.map(([index, id, time, query]) => {
      const kept = body(index, id, time, query, cache);
      // What a fresh index of the same version, with nothing kept anywhere, sends.
      const fresh = body(build(index.version), id, time, query);
      expect(kept.toString()).toBe(fresh.toString());
      return kept;
    });
    // The very bytes again for the same request: made, encoded (and hashed for the ETag) once.
    expect(sent[1]).toBe(sent[0]);
    expect(sent[2]).not.toBe(sent[1]);
  });
});

describe('accessPageText', () => {
  it('makes a page once for its list and index: the same request again makes no grant until one would change', () => {
    const index = build();
    const { page, made } = everyone(index, new AccessListCache());
    const first = page(at('09:00:00'));
    const grantsOnPage = made.grants;
    expect(grantsOnPage).toBeGreaterThan(0);
    expect(first.people).toContain('"expectedBy":"2026-11-30T09:25:00.000Z"');

    // The same page until Aamir's next cycle passes: nothing is made again.
    expect(page(at('09:00:00'))).toBe(first);
    expect(page(at('09:25:00'))).toBe(first);
    expect(made.grants).toBe(grantsOnPage);

    // Past 09:25 his grants are expected by the next cycle: the page is made again, and says so.
    const later = page(at('09:25:00.001'));
    expect(made.grants).toBe(2 * grantsOnPage);
    expect(later.people).toContain('"expectedBy":"2026-11-30T10:05:00.000Z"');
    expect(later.people).not.toContain('09:25:00.000Z');
  });

  it('keeps the page last sent: another page of the list, or a new index, is made anew', () => {
    const cache = new AccessListCache();
    const now = at('09:00:00');
    const v1 = everyone(build(1), cache);
    const first = v1.page(now, { limit: '3' });
    const perPage = v1.made.grants;
    expect(v1.page(now, { limit: '3', offset: '3' })).not.toEqual(first);
    expect(v1.page(now, { limit: '3' })).toEqual(first);
    expect(v1.made.grants).toBe(3 * perPage);

    // A later index with the same inputs keeps the list, but its pages are made for it (its portal URL, cycle).
    const v2 = everyone(build(2), cache);
    expect(v2.page(now, { limit: '3' })).toEqual(first);
    expect(v2.made.grants).toBe(perPage);
  });
});

describe('grantHoldsUntil', () => {
  const index = build();
  const maria = index.persons.find(p => p.displayName === 'Maria')!;
  const [held] = maria.grants;
  const grants: PersonGrant[] = [
    ...index.persons.flatMap(p => p.grants),
    // Active through one group and pending through another since 08:50: the path turns stuck, not the grant.
    {
      ...held,
      baseState: 'active',
      since: '2026-11-30T08:50:00.000Z',
      paths: [
        held.paths[0],
        { ...held.paths[0], name: 'Later', inAws: false, intended: true },
      ],
    },
    // Pending since 08:50 on no path's own facts: the grant's state alone turns stuck.
    {
      ...held,
      baseState: 'pending',
      since: '2026-11-30T08:50:00.000Z',
      paths: [
        { ...held.paths[0], inAws: false, intended: false, nested: false },
      ],
    },
  ];

  const same = (a: object, b: object) =>
    JSON.stringify(a) === JSON.stringify(b);

  it.each([
    ['08:55:00', true],
    ['09:00:00', true],
    ['09:30:00', true],
    ['10:06:00', true],
    // Every gap is stuck by now: nothing changes with the clock any more.
    ['10:11:00', false],
  ])(
    'is the last moment every grant DTO is what it is at %s (some finite: %s)',
    (time, someFinite) => {
      const now = at(time);
      const checks = grants.map(grant => {
        const until = grantHoldsUntil(index, grant, now);
        const dto = toGrant(index, grant, now);
        const last = until === Infinity ? at('23:59:00') : new Date(until);
        return {
          notBeforeNow: until >= now.getTime(),
          sameUntilThen: same(toGrant(index, grant, last), dto),
          changedJustAfter:
            until === Infinity ||
            !same(toGrant(index, grant, new Date(until + 1)), dto),
        };
      });
      expect(checks).toEqual(
        grants.map(() => ({
          notBeforeNow: true,
          sameUntilThen: true,
          changedJustAfter: true,
        })),
      );
      const finite = grants.filter(
        grant => grantHoldsUntil(index, grant, now) !== Infinity,
      );
      expect(finite.length > 0).toBe(someFinite);
    },
  );
});
