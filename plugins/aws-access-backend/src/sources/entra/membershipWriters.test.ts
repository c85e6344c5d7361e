import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import type { EntraWorld as World } from '../../__testUtils__/entraWorld';
import {
  entraGroupsOf as groupsOf,
  entraIds as ids,
  graphCount,
} from '../../__testUtils__/entraWorld';
import { RequestStats } from '../requests/RequestStats';
import { SourceError } from '../requests/SourceError';

jest.setTimeout(60_000);

describe('Entra membership writer (membership mode) and group owners', () => {
  let world: World;
  beforeAll(async () => {
    world = await startEmulatorWorld();
  });
  afterAll(async () => {
    await world?.emulators.close();
  });
  afterEach(async () => {
    await world.emulators.control.clearFaults();
  });

  it('adds and removes a direct member, and a repeated write succeeds and changes nothing', async () => {
    const writer = world.sources.membershipWriters!.membership!;
    expect(writer.mode).toBe('membership');
    const ref = ids(world, 'tom@example.com', 'AWS-Developers-PowerUser');
    const ctx = { stats: new RequestStats() };
    await world.emulators.control.resetCounters();

    await writer.addMember(ctx, ref);
    expect(await groupsOf(world, ref.userId)).toContain(ref.groupId);
    // A restart between the write and its commit repeats the write: Graph's "already exist" is the success.
    await writer.addMember(ctx, ref);
    expect(await graphCount(world, 'POST /v1.0/groups/{id}/members/$ref')).toBe(
      2,
    );
    expect(ctx.stats.requestsBySource().graph).toBe(2);

    await writer.removeMember(ctx, ref);
    expect(await groupsOf(world, ref.userId)).not.toContain(ref.groupId);
    await writer.removeMember(ctx, ref);
    expect(
      await graphCount(
        world,
        'DELETE /v1.0/groups/{id}/members/{memberId}/$ref',
      ),
    ).toBe(2);
  });

  it('a transient Graph failure is retried; a refusal fails with its cause', async () => {
    const writer = world.sources.membershipWriters!.membership!;
    const ref = ids(world, 'tom@example.com', 'AWS-Developers-Admin');
    await world.emulators.control.injectFault({
      service: 'graph',
      operation: `/v1.0/groups/${ref.groupId}/members/$ref`,
      kind: 'http500',
      retryAfterSeconds: 0,
    });
    await writer.addMember({ stats: new RequestStats() }, ref);
    expect(await groupsOf(world, ref.userId)).toContain(ref.groupId);
    await writer.removeMember({ stats: new RequestStats() }, ref);

    await world.emulators.control.injectFault({
      service: 'graph',
      operation: `/v1.0/groups/${ref.groupId}/members/$ref`,
      kind: 'access-denied',
    });
    const refused = await writer
      .addMember({ stats: new RequestStats() }, ref)
      .catch(e => e);
    expect(refused).toBeInstanceOf(SourceError);
    expect(refused.errorClass).toBe('Authorization_RequestDenied');
    expect(await groupsOf(world, ref.userId)).not.toContain(ref.groupId);
  });

  it("reads a group's owners with their logins", async () => {
    const { groupId } = ids(world, 'maria@example.com', 'Backend-Team');
    await world.emulators.control.resetCounters();
    const owners = await world.sources.groupOwners!.readGroupOwners(
      { stats: new RequestStats() },
      groupId,
    );
    expect(owners).toEqual([
      {
        id: ids(world, 'maria@example.com', 'Backend-Team').userId,
        userPrincipalName: 'maria@example.com',
        mail: 'maria@example.com',
      },
    ]);
    expect(
      await graphCount(
        world,
        'GET /v1.0/groups/{id}/owners/microsoft.graph.user',
      ),
    ).toBe(1);
  });
});
