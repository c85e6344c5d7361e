import { startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';
import { EmulatorControlError } from './client';

describe('control API', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startSeed();
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  const rejectsWith = async (
    promise: Promise<unknown>,
    status: number,
    message: RegExp,
  ) => {
    const error: EmulatorControlError = await promise.then(
      () => {
        throw new Error('expected the control API to refuse');
      },
      e => e,
    );
    expect(error).toBeInstanceOf(EmulatorControlError);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  };

  it('should make Entra changes and show them in the state dump', async () => {
    const created = await emulators.control.createEntraUser({
      upn: 'new.hire@example.com',
      displayName: 'New Hire',
      manager: 'maria@example.com',
    });
    expect(created).toMatchObject({
      upn: 'new.hire@example.com',
      enabled: true,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    await emulators.control.addGroupMember(
      'AWS-Developers-ReadOnly',
      'new.hire@example.com',
    );
    await emulators.control.createEntraGroup({
      name: 'AWS-Developers-Billing',
      members: ['tom@example.com'],
      assignedToAwsApp: true,
    });
    await emulators.control.unassignGroupFromApp('AWS-Developers-Admin');
    await emulators.control.setEntraUserEnabled('priya@example.com', false);

    const state = await emulators.control.getState();
    expect(
      state.entra.groups.find(g => g.name === 'AWS-Developers-ReadOnly')!
        .members,
    ).toContain('new.hire@example.com');
    expect(
      state.entra.groups.find(g => g.name === 'AWS-Developers-Billing'),
    ).toMatchObject({ assignedToAwsApp: true, members: ['tom@example.com'] });
    expect(
      state.entra.groups.find(g => g.name === 'AWS-Developers-Admin')!
        .assignedToAwsApp,
    ).toBe(false);
    expect(
      state.entra.users.find(u => u.upn === 'priya@example.com')!.enabled,
    ).toBe(false);
    expect(
      state.identityCenter.users.find(u => u.userName === 'alex@example.com'),
    ).toMatchObject({ status: 'ENABLED' });

    await emulators.control.reset();
    const fresh = await emulators.control.getState();
    expect(fresh.entra.users.map(u => u.upn)).not.toContain(
      'new.hire@example.com',
    );
    expect(
      fresh.entra.groups.find(g => g.name === 'AWS-Developers-Admin')!
        .assignedToAwsApp,
    ).toBe(true);
  });

  it('should refuse changes that cannot happen, with clear errors', async () => {
    expect.hasAssertions();
    await rejectsWith(
      emulators.control.createEntraUser({
        upn: 'tom@example.com',
        displayName: 'Tom',
      }),
      409,
      /already exists/,
    );
    await rejectsWith(
      emulators.control.createEntraUser({ upn: 'not a upn', displayName: 'X' }),
      400,
      /user principal name/,
    );
    await rejectsWith(
      emulators.control.addGroupMember(
        'AWS-Developers-ReadOnly',
        'tom@example.com',
      ),
      409,
      /already a member/,
    );
    await rejectsWith(
      emulators.control.addGroupMember('No-Such-Group', 'tom@example.com'),
      404,
      /no Entra group "No-Such-Group"/,
    );
    await rejectsWith(
      emulators.control.removeGroupMember(
        'AWS-Developers-Admin',
        'tom@example.com',
      ),
      404,
      /is not a member/,
    );
    await rejectsWith(
      emulators.control.deleteEntraUser('ghost@example.com'),
      404,
      /no Entra user/,
    );
    await rejectsWith(
      emulators.control.updateEntraUser('tom@example.com', {
        colour: 'red',
      } as never),
      400,
      /unknown field/,
    );
    await rejectsWith(
      emulators.control.setScim({ status: 'Sleeping' as never }),
      400,
      /"status" must be one of/,
    );
    await rejectsWith(
      emulators.control.updateSettings({ assignmentDelayMs: 'slow' as never }),
      400,
      /must be a number/,
    );
    await rejectsWith(
      emulators.control.createAccount({
        id: '12',
        name: 'x',
        email: 'x@example.com',
      }),
      400,
      /12 digits/,
    );
  });

  it('should answer 404, 405 and 400 for bad requests', async () => {
    expect((await fetch(`${emulators.controlUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${emulators.controlUrl}/scim/cycle`)).status).toBe(
      405,
    );
    const bad = await fetch(`${emulators.controlUrl}/entra/users`, {
      method: 'POST',
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);
  });

  it('should count control calls apart from cloud calls', async () => {
    await emulators.control.resetCounters();
    await emulators.control.getState();
    const counters = await emulators.control.getCounters();
    expect(counters.control['GET /_emulator/state']).toBe(1);
    expect(counters.totals.all).toBe(0);
  });

  it('should change the SAML certificate expiry and the provisioning schedule', async () => {
    await emulators.control.setSamlCertificateExpiry('2026-12-15T00:00:00Z');
    const { nextCycleAt, job } = await emulators.control.setScim({
      intervalSeconds: 60,
      status: 'Paused',
    });
    expect(Date.parse(nextCycleAt) - Date.now()).toBeLessThanOrEqual(61_000);
    expect(job).toMatchObject({
      schedule: { interval: 'PT1M', state: 'Paused' },
      status: expect.objectContaining({ code: 'Paused' }),
    });
    // Paused: the interval passing runs nothing.
    expect((await emulators.control.advanceClock(120)).cycle).toBeUndefined();
  });
});
