import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import type { EntraWorld as World } from '../../__testUtils__/entraWorld';
import {
  entraGroupsOf as groupsOf,
  entraIds as ids,
  graphCount,
} from '../../__testUtils__/entraWorld';
import { RequestStats } from '../requests/RequestStats';

jest.setTimeout(60_000);

describe('PIM for Groups membership writer', () => {
  let world: World;
  beforeAll(async () => {
    world = await startEmulatorWorld();
  });
  afterAll(async () => {
    await world?.emulators.close();
  });

  it('pim mode: an active assignment with an expiration makes a member, and Entra ends it at expiry on its own', async () => {
    const writer = world.sources.membershipWriters!.pim!;
    expect(writer.mode).toBe('pim');
    const ref = ids(world, 'priya@example.com', 'AWS-Developers-Admin');
    const ctx = { stats: new RequestStats() };
    const { now } = await world.emulators.control.getClock();
    const expiresAt = new Date(Date.parse(now) + 60 * 60_000);

    await writer.addMember(ctx, { ...ref, expiresAt, justification: 'INC-1' });
    expect(await groupsOf(world, ref.userId)).toContain(ref.groupId);
    // Repeated after a restart: RoleAssignmentExists is the success.
    await writer.addMember(ctx, { ...ref, expiresAt });
    expect(ctx.stats.requestsBySource().graph).toBe(2);

    await world.emulators.control.advanceClock(61 * 60);
    expect(await groupsOf(world, ref.userId)).not.toContain(ref.groupId);
    // Ending what Entra already ended: RoleAssignmentDoesNotExist is the success.
    await writer.removeMember(ctx, ref);
  });

  it('pim mode: adminRemove ends an assignment before its expiry', async () => {
    const writer = world.sources.membershipWriters!.pim!;
    const ref = ids(world, 'noah@example.com', 'AWS-Developers-Admin');
    const ctx = { stats: new RequestStats() };
    const { now } = await world.emulators.control.getClock();
    await writer.addMember(ctx, {
      ...ref,
      expiresAt: new Date(Date.parse(now) + 4 * 60 * 60_000),
    });
    expect(await groupsOf(world, ref.userId)).toContain(ref.groupId);
    await world.emulators.control.resetCounters();
    await writer.removeMember(ctx, ref);
    expect(await groupsOf(world, ref.userId)).not.toContain(ref.groupId);
    await writer.removeMember(ctx, ref);
    const counted = await graphCount(
      world,
      'POST /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
    );
    expect(counted).toBe(2);
  });
});
