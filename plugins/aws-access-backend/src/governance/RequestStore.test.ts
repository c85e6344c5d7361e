import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { NewRequest } from './RequestStore';
import { RequestStore } from './RequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const clock = { now: new Date('2026-12-06T09:00:00.000Z') };
  const store = await RequestStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { knex, store, advance };
}

const AAMIR = 'user:default/aamir';
const MARIA = 'user:default/maria';
const SARA = 'user:default/sara';
const ADMIN_GROUP = 'group:default/aws-payments-prod-admin';

function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    requester: AAMIR,
    requesterName: 'Aamir Siddiqui',
    requesterUserId: 'entra-user-aamir',
    group: {
      entityRef: ADMIN_GROUP,
      name: 'AWS-Payments-Prod-Admin',
      id: 'entra-group-admin',
    },
    justification: 'INC-42 payments are failing',
    ticket: 'INC-42',
    duration: 'PT1H',
    mode: 'membership',
    approvalsRequired: 1,
    approverGroups: [],
    decideBy: '2026-12-08T09:00:00.000Z',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('RequestStore on %p', databaseId => {
  it('stores a submission with its first history row and reads it back', async () => {
    const { store } = await createStore(databaseId);
    const created = await store.insert(newRequest(), { note: 'please' });

    expect(created).toMatchObject({
      state: 'submitted',
      attempts: 0,
      createdAt: '2026-12-06T09:00:00.000Z',
      approvals: [],
    });
    expect(await store.get(created.id)).toEqual(created);
    expect(await store.history(created.id)).toEqual([
      {
        at: '2026-12-06T09:00:00.000Z',
        by: AAMIR,
        byName: 'Aamir Siddiqui',
        to: 'submitted',
        note: 'please',
      },
    ]);
    await expect(store.get('no-such-id')).resolves.toBeUndefined();
  });

  it('refuses a second open request for the same group, and allows one once the first is final', async () => {
    const { store } = await createStore(databaseId);
    const first = await store.insert(newRequest());
    await expect(store.insert(newRequest())).rejects.toThrow(ConflictError);
    // Another person, or another group, is not affected.
    await store.insert(newRequest({ requester: SARA }));

    await store.transition(first.id, {
      from: ['submitted'],
      to: 'denied',
      by: MARIA,
    });
    const second = await store.insert(newRequest());
    expect(second.id).not.toBe(first.id);
  });

  it('keeps one of two concurrent submissions of the same request', async () => {
    const { store } = await createStore(databaseId);
    const results = await Promise.allSettled([
      store.insert(newRequest()),
      store.insert(newRequest()),
    ]);
    const rejected = results.filter(r => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect(await store.list({ requester: AAMIR })).toHaveLength(1);
  });

  it('moves a request only from the states the caller saw, and writes nothing otherwise', async () => {
    const { store } = await createStore(databaseId);
    const { id } = await store.insert(newRequest());

    await expect(
      store.transition(id, { from: ['approved'], to: 'granting', by: 'x' }),
    ).rejects.toThrow(/is submitted, not approved/);
    // In `from`, but not a move the request's life allows.
    await expect(
      store.transition(id, { from: ['submitted'], to: 'active', by: 'x' }),
    ).rejects.toThrow(ConflictError);
    await expect(
      store.transition('missing', {
        from: ['submitted'],
        to: 'denied',
        by: 'x',
      }),
    ).rejects.toThrow(NotFoundError);

    expect((await store.get(id))?.state).toBe('submitted');
    expect(await store.history(id)).toHaveLength(1);
  });

  it('stamps decision, grant, revoke and end times as the request lives', async () => {
    const { store, advance } = await createStore(databaseId);
    const { id } = await store.insert(newRequest());
    advance(60_000);
    const approved = await store.transition(id, {
      from: ['submitted'],
      to: 'approved',
      by: MARIA,
      byName: 'Maria Gonzalez',
      approval: { by: MARIA, byName: 'Maria Gonzalez', note: 'ok' },
    });
    expect(approved).toMatchObject({
      state: 'approved',
      decidedAt: '2026-12-06T09:01:00.000Z',
      approvals: [{ by: MARIA, note: 'ok', satisfies: [] }],
    });
    advance(1000);
    await store.transition(id, {
      from: ['approved'],
      to: 'granting',
      by: 'system',
      patch: {
        expiresAt: '2026-12-06T10:01:01.000Z',
        attempts: 1,
        lastAttemptAt: '2026-12-06T09:01:01.000Z',
      },
    });
    advance(60_000);
    const active = await store.transition(id, {
      from: ['granting'],
      to: 'active',
      by: 'system',
    });
    expect(active).toMatchObject({
      grantedAt: '2026-12-06T09:02:01.000Z',
      expiresAt: '2026-12-06T10:01:01.000Z',
      attempts: 1,
    });
    advance(60_000);
    const revoking = await store.transition(id, {
      from: ['active'],
      to: 'revoking',
      by: AAMIR,
    });
    expect(revoking).toMatchObject({
      revokeRequestedAt: '2026-12-06T09:03:01.000Z',
      revokedBy: AAMIR,
    });
    advance(60_000);
    const ended = await store.transition(id, {
      from: ['revoking'],
      to: 'ended',
      by: 'system',
    });
    expect(ended.endedAt).toBe('2026-12-06T09:04:01.000Z');
    expect(await store.get(id)).toEqual(ended);
    expect((await store.history(id)).map(h => [h.from, h.to])).toEqual([
      [undefined, 'submitted'],
      ['submitted', 'approved'],
      ['approved', 'granting'],
      ['granting', 'active'],
      ['active', 'revoking'],
      ['revoking', 'ended'],
    ]);
  });

  it('keeps the cause of a failure until a retry clears it, and a failed removal retries as a removal', async () => {
    const { store, advance } = await createStore(databaseId);
    const { id } = await store.insert(newRequest());
    await store.transition(id, {
      from: ['submitted'],
      to: 'approved',
      by: MARIA,
    });
    const failed = await store.transition(id, {
      from: ['approved'],
      to: 'failed',
      by: 'system',
      note: 'Graph 503',
      patch: { error: 'Graph answered 503 Service Unavailable', attempts: 1 },
    });
    expect(failed.error).toBe('Graph answered 503 Service Unavailable');
    const retried = await store.transition(id, {
      from: ['failed'],
      to: 'approved',
      by: AAMIR,
    });
    expect(retried.error).toBeUndefined();
    expect(retried.attempts).toBe(1);

    await store.transition(id, {
      from: ['approved'],
      to: 'revoking',
      by: SARA,
    });
    await store.transition(id, {
      from: ['revoking'],
      to: 'failed',
      by: 'system',
      patch: { error: 'Graph answered 500' },
    });
    advance(60_000);
    const again = await store.transition(id, {
      from: ['failed'],
      to: 'revoking',
      by: SARA,
    });
    expect(again).toMatchObject({
      revokeRequestedAt: '2026-12-06T09:00:00.000Z',
      revokedBy: SARA,
    });
  });

  it('collects two approvals from two different people, under the row lock', async () => {
    const { store } = await createStore(databaseId);
    const { id } = await store.insert(newRequest({ approvalsRequired: 2 }));
    const approve = (by: string) =>
      store.transition(id, {
        from: ['submitted'],
        to: current =>
          current.approvals.length >= current.approvalsRequired
            ? 'approved'
            : 'submitted',
        by,
        approval: { by, satisfies: ['group:default/payments-team'] },
      });

    expect((await approve(MARIA)).state).toBe('submitted');
    await expect(approve(MARIA)).rejects.toThrow(/already approved/);
    const approved = await approve(SARA);
    expect(approved.state).toBe('approved');
    expect(approved.approvals.map(a => a.by)).toEqual([MARIA, SARA]);
    expect((await store.get(id))?.approvals[0].satisfies).toEqual([
      'group:default/payments-team',
    ]);
  });

  it('lets exactly one of two concurrent moves of the same request win', async () => {
    const { store } = await createStore(databaseId);
    const { id } = await store.insert(newRequest());
    await store.transition(id, {
      from: ['submitted'],
      to: 'approved',
      by: MARIA,
    });

    const results = await Promise.allSettled([
      store.transition(id, {
        from: ['approved'],
        to: 'granting',
        by: 'replica-1',
      }),
      store.transition(id, {
        from: ['approved'],
        to: 'granting',
        by: 'replica-2',
      }),
      store.transition(id, { from: ['approved'], to: 'cancelled', by: AAMIR }),
    ]);

    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason] : [],
    );
    expect(reasons).toEqual([
      expect.any(ConflictError),
      expect.any(ConflictError),
    ]);
    const history = await store.history(id);
    expect(history.filter(h => h.from === 'approved')).toHaveLength(1);
  });

  it('lets only one of two concurrent approvers approve a one-approval request', async () => {
    const { store } = await createStore(databaseId);
    const { id } = await store.insert(newRequest());
    const approve = (by: string) =>
      store.transition(id, {
        from: ['submitted'],
        to: 'approved',
        by,
        approval: { by },
      });

    const results = await Promise.allSettled([approve(MARIA), approve(SARA)]);

    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const stored = await store.get(id);
    expect(stored?.state).toBe('approved');
    expect(stored?.approvals).toHaveLength(1);
  });

  it('collects both approvals when two approvers of a two-approval request act at once', async () => {
    const { store } = await createStore(databaseId);
    const { id } = await store.insert(newRequest({ approvalsRequired: 2 }));
    const approve = (by: string) =>
      store.transition(id, {
        from: ['submitted'],
        to: current =>
          current.approvals.length >= 2 ? 'approved' : 'submitted',
        by,
        approval: { by },
      });

    await Promise.all([approve(MARIA), approve(SARA)]);

    const stored = await store.get(id);
    expect(stored?.state).toBe('approved');
    expect(stored?.approvals).toHaveLength(2);
  });

  it('lists by requester, state, group, period and expiry', async () => {
    const { store, advance } = await createStore(databaseId);
    const a = await store.insert(newRequest());
    advance(3_600_000);
    const b = await store.insert(
      newRequest({
        requester: SARA,
        group: { entityRef: 'group:default/ro', name: 'RO', id: 'g-ro' },
      }),
    );
    await store.transition(b.id, {
      from: ['submitted'],
      to: 'approved',
      by: MARIA,
    });
    await store.transition(b.id, {
      from: ['approved'],
      to: 'granting',
      by: 'system',
      patch: { expiresAt: '2026-12-06T11:00:00.000Z' },
    });
    advance(3_600_000);
    const c = await store.insert(newRequest({ requester: MARIA }));

    const ids = (requests: { id: string }[]) => requests.map(r => r.id);
    expect(ids(await store.list())).toEqual([c.id, b.id, a.id]);
    expect(ids(await store.list({ order: 'oldest' }))).toEqual([
      a.id,
      b.id,
      c.id,
    ]);
    expect(ids(await store.list({ requester: AAMIR }))).toEqual([a.id]);
    expect(ids(await store.list({ states: ['granting'] }))).toEqual([b.id]);
    expect(ids(await store.list({ groupRefs: [ADMIN_GROUP] }))).toEqual([
      c.id,
      a.id,
    ]);
    expect(
      ids(
        await store.list({
          createdFrom: '2026-12-06T10:00:00.000Z',
          createdTo: '2026-12-06T11:00:00.000Z',
        }),
      ),
    ).toEqual([b.id]);
    expect(
      ids(await store.list({ expiresBefore: '2026-12-06T11:00:00.001Z' })),
    ).toEqual([b.id]);
    expect(
      ids(await store.list({ expiresBefore: '2026-12-06T11:00:00.000Z' })),
    ).toEqual([]);
    expect(ids(await store.list({ order: 'expiring' }))).toEqual([b.id]);
    expect(
      ids(
        await store.list({
          decideByBefore: '2026-12-09T00:00:00.000Z',
          limit: 2,
        }),
      ),
    ).toEqual([c.id, b.id]);
    const [listed] = await store.list({ ids: [b.id] });
    expect(listed.approvals).toEqual([]);
    expect(listed).toEqual(await store.get(b.id));
  });
});
