import { RequestWorker } from './RequestWorker';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  MARIA,
  READ_ONLY,
  fakeRequestWorld,
  workerDatabases,
} from './__testUtils__/fakeRequestWorld';

jest.setTimeout(30_000);

const HOUR = 3_600_000;

describe.each(workerDatabases.eachSupportedId())(
  'RequestWorker on %p',
  (databaseId: TestDatabaseId) => {
    it('writes an approved membership, provisions it, and makes the request active only once AWS shows it', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      await w.workerFor('membership').runOnce();

      const active = (await w.store.get(request.id))!;
      expect(active).toMatchObject({
        state: 'active',
        attempts: 1,
        grantedAt: w.clock.now.toISOString(),
        expiresAt: new Date(w.clock.now.getTime() + HOUR).toISOString(),
      });
      // The membership writer is given the expiry too (and ignores it: the worker removes the member).
      expect(w.clouds.writes).toEqual([
        `add ${MARIA.userId} ${READ_ONLY.id} ${active.expiresAt}`,
      ]);
      expect(w.clouds.provisioned).toEqual([`${MARIA.userId} ${READ_ONLY.id}`]);
      expect(w.notified).toEqual([`usable ${request.id}`]);
      expect((await w.store.history(request.id)).map(h => h.to)).toEqual([
        'submitted',
        'approved',
        'granting',
        'active',
      ]);
      expect(w.audited).toEqual([
        { from: 'approved', to: 'granting', outcome: 'success' },
        { from: 'granting', to: 'active', outcome: 'success' },
      ]);
    });

    it('keeps a request granting while AWS does not show the grant, and asks again only after the interval', async () => {
      const w = await fakeRequestWorld(databaseId);
      w.clouds.provisioningWorks = false;
      const request = await w.approved();
      const worker = w.workerFor('membership');
      await worker.runOnce();
      await worker.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('granting');
      expect(w.clouds.provisioned).toHaveLength(1);

      w.advance(15_000);
      w.clouds.provisioningWorks = true;
      await worker.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('active');
      expect(w.clouds.provisioned).toHaveLength(2);
      expect(w.clouds.writes).toHaveLength(1);
    });

    it('fails a request whose Entra write fails, with the cause, and provisions nothing', async () => {
      const w = await fakeRequestWorld(databaseId);
      w.clouds.failNextWrite =
        'Insufficient privileges to complete the operation.';
      const request = await w.approved();
      await w.workerFor('membership').runOnce();

      const failed = (await w.store.get(request.id))!;
      expect(failed.state).toBe('failed');
      expect(failed.attempts).toBe(1);
      expect(failed.error).toBe(
        'Authorization_RequestDenied: graph: Insufficient privileges to complete the operation.',
      );
      expect(w.clouds.provisioned).toEqual([]);
      expect(w.notified).toEqual([]);
    });

    it('grants a failed request again once it is retried, counting the attempts, and clears the error', async () => {
      const w = await fakeRequestWorld(databaseId);
      w.clouds.failNextWrite =
        'Insufficient privileges to complete the operation.';
      const request = await w.approved();
      const worker = w.workerFor('membership');
      await worker.runOnce();
      await w.store.transition(request.id, {
        from: ['failed'],
        to: 'approved',
        by: 'user:default/sara',
        note: 'consent granted',
      });
      await worker.runOnce();
      const active = (await w.store.get(request.id))!;
      expect(active).toMatchObject({ state: 'active', attempts: 2 });
      expect(active.error).toBeUndefined();
    });

    it('repeats the Entra write after a crash between the write and its commit, and ends up active once', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      const crashing = w.workerFor('membership');
      const transition = w.store.transition.bind(w.store);
      const spy = jest
        .spyOn(w.store, 'transition')
        .mockImplementationOnce(async () => {
          throw new Error('the process died');
        });
      await crashing.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('approved');
      spy.mockImplementation(transition);

      // The restarted backend (a new worker) writes again: the write is idempotent.
      await w.workerFor('membership').runOnce();
      expect((await w.store.get(request.id))!.state).toBe('active');
      const { expiresAt } = (await w.store.get(request.id))!;
      expect(w.clouds.writes).toEqual([
        `add ${MARIA.userId} ${READ_ONLY.id} ${expiresAt}`,
        `add ${MARIA.userId} ${READ_ONLY.id} ${expiresAt}`,
      ]);
      expect(w.notified).toEqual([`usable ${request.id}`]);
    });

    it('membership mode: at expiry removes the member, and ends the request once AWS no longer shows the grant', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      const worker = w.workerFor('membership');
      await worker.runOnce();
      w.advance(HOUR + 1000);
      await worker.runOnce();

      const ended = (await w.store.get(request.id))!;
      expect(ended).toMatchObject({
        state: 'ended',
        revokedBy: 'system',
        endedAt: w.clock.now.toISOString(),
      });
      expect(w.clouds.writes.slice(1)).toEqual([
        `remove ${MARIA.userId} ${READ_ONLY.id}`,
      ]);
      expect(w.clouds.members(READ_ONLY.id)).not.toContain(MARIA.userId);
      expect((await w.store.history(request.id)).map(h => h.to)).toEqual([
        'submitted',
        'approved',
        'granting',
        'active',
        'revoking',
        'ended',
      ]);
    });

    it('catches up after downtime: every expiry that passed is processed at start, oldest first', async () => {
      const w = await fakeRequestWorld(databaseId);
      const worker = w.workerFor('membership');
      const later = await w.approved({ duration: 'PT2H' });
      await worker.runOnce();
      const sooner = await w.approved({
        requester: 'user:default/shen',
        requesterUserId: 'u-shen',
        group: {
          entityRef: 'group:default/aws-data-analysts',
          name: 'AWS-Data-Analysts',
          id: 'g-da',
        },
        duration: 'PT1H',
      });
      await worker.runOnce();
      expect((await w.store.get(sooner.id))!.state).toBe('active');

      // Down for three hours; a new backend starts.
      w.advance(3 * HOUR);
      w.clouds.writes.length = 0;
      await w.workerFor('membership').runOnce();
      expect(w.clouds.writes).toEqual([
        `remove u-shen g-da`,
        `remove ${MARIA.userId} ${READ_ONLY.id}`,
      ]);
      expect((await w.store.get(later.id))!.state).toBe('ended');
      expect((await w.store.get(sooner.id))!.state).toBe('ended');
    });

    it('pim mode: writes the expiry to Entra and, at expiry, lets Entra end it (no removal), then ends the request', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved({ mode: 'pim' });
      const worker = w.workerFor('pim');
      await worker.runOnce();
      const expiresAt = new Date(w.clock.now.getTime() + HOUR).toISOString();
      expect(w.clouds.writes).toEqual([
        `add ${MARIA.userId} ${READ_ONLY.id} ${expiresAt}`,
      ]);
      expect((await w.store.get(request.id))!.state).toBe('active');

      w.advance(HOUR + 1000);
      await worker.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('ended');
      expect(w.clouds.writes).toHaveLength(1);
    });

    it('pim mode: a revoke before expiry removes the assignment (adminRemove)', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved({ mode: 'pim' });
      const worker = w.workerFor('pim');
      await worker.runOnce();
      await w.store.transition(request.id, {
        from: ['active'],
        to: 'revoking',
        by: 'user:default/sara',
      });
      await worker.runOnce();
      expect(w.clouds.writes.slice(1)).toEqual([
        `remove ${MARIA.userId} ${READ_ONLY.id}`,
      ]);
      expect((await w.store.get(request.id))!).toMatchObject({
        state: 'ended',
        revokedBy: 'user:default/sara',
      });
    });

    it('expires a request nobody decided before its approval timeout', async () => {
      const w = await fakeRequestWorld(databaseId);
      const submitted = await w.store.insert({
        requester: MARIA.ref,
        requesterUserId: MARIA.userId,
        group: READ_ONLY,
        mode: 'membership',
        approvalsRequired: 1,
        approverGroups: [],
        decideBy: new Date(w.clock.now.getTime() + HOUR).toISOString(),
      });
      const worker = w.workerFor('membership');
      await worker.runOnce();
      expect((await w.store.get(submitted.id))!.state).toBe('submitted');
      w.advance(HOUR + 1);
      await worker.runOnce();
      expect((await w.store.get(submitted.id))!.state).toBe('expired');
      expect(w.clouds.writes).toEqual([]);
    });

    it('warns the requester once, 10 minutes before expiry, whatever restarts happen', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      await w.workerFor('membership').runOnce();
      w.advance(49 * 60_000);
      await w.workerFor('membership').runOnce();
      expect(w.notified).toEqual([`usable ${request.id}`]);

      w.advance(2 * 60_000);
      await w.workerFor('membership').runOnce();
      await w.workerFor('membership').runOnce();
      expect(w.notified).toEqual([
        `usable ${request.id}`,
        `expiresSoon ${request.id}`,
      ]);
    });

    it('sends no expiry warning for access that was usable only inside the warning window (the usable one said when)', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved({ duration: 'PT5M' });
      const worker = w.workerFor('membership');
      await worker.runOnce();
      w.advance(60_000);
      await worker.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('active');
      expect(w.notified).toEqual([`usable ${request.id}`]);
    });

    it('a revoke that races the grant wins: the worker finds the request revoking and removes the member', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      w.clouds.provisioningWorks = false;
      const worker = w.workerFor('membership');
      await worker.runOnce();
      expect((await w.store.get(request.id))!.state).toBe('granting');
      // The snapshot still predates the Entra write: it must not end the request without a removal.
      w.advance(1000);
      await w.store.transition(request.id, {
        from: ['granting'],
        to: 'revoking',
        by: MARIA.ref,
      });
      w.clouds.provisioningWorks = true;
      await worker.runOnce();
      expect(w.clouds.writes.slice(1)).toEqual([
        `remove ${MARIA.userId} ${READ_ONLY.id}`,
      ]);
      expect((await w.store.get(request.id))!.state).toBe('ended');
      expect(w.notified).toEqual([]);
    });
    it('leaves a request approved when the task is stopped during its write (shutdown): no failure, written again later', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      const stop = new AbortController();
      const writer = w.clouds.writer('membership');
      const worker = RequestWorker.create({
        ...w.options,
        writers: {
          membership: {
            ...writer,
            addMember: async () => {
              stop.abort(new Error('shutting down'));
              throw new Error('aborted');
            },
          },
        },
      });
      await expect(worker.runOnce({ signal: stop.signal })).rejects.toThrow();
      expect((await w.store.get(request.id))!.state).toBe('approved');
      await w.workerFor('membership').runOnce();
      expect((await w.store.get(request.id))!.state).toBe('active');
    });
    it('two replicas at once move each request once: one granting, one active, one notification', async () => {
      const w = await fakeRequestWorld(databaseId);
      const request = await w.approved();
      await Promise.all([
        w.workerFor('membership').runOnce(),
        w.workerFor('membership').runOnce(),
      ]);
      const history = (await w.store.history(request.id)).map(h => h.to);
      expect(history).toEqual(['submitted', 'approved', 'granting', 'active']);
      expect(w.notified).toEqual([`usable ${request.id}`]);
      // The loser may have written too: the write is idempotent, and its move was refused (a conflict).
      expect(w.clouds.members(READ_ONLY.id)).toContain(MARIA.userId);
    });
  },
);
