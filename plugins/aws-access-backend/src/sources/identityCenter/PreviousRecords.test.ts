import { ConfigReader } from '@backstage/config';
import { emulatorConfigData, startTestEmulators } from '@aws-access/test-utils';
import type { Emulators } from '@aws-access/emulators';
import type {
  AssignmentRecord,
  AwsSide,
  IdcGroup,
  IdcUser,
} from '../../snapshot/model';
import { readAwsAccessConfig } from '../../config/readAwsAccessConfig';
import { createAccessSources } from '../createAccessSources';
import { RequestStats } from '../requests/RequestStats';
import { PreviousRecords, sameFields } from './PreviousRecords';

jest.setTimeout(60_000);

const user: IdcUser = {
  id: 'u-1',
  userName: 'aamir@example.com',
  status: 'ENABLED',
  externalId: 'e-1',
};
const group: IdcGroup = {
  id: 'g-1',
  displayName: 'AWS-Developers',
  memberUserIds: ['u-1', 'u-2'],
};
const assignment = (principalId: string): AssignmentRecord => ({
  accountId: '111111111111',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  principalType: 'GROUP',
  principalId,
});

describe('PreviousRecords', () => {
  it('keeps the previous object for an equal read, an undefined field equal to an absent one', async () => {
    const previous = await PreviousRecords.of({
      users: [user],
      groups: [group],
      assignments: [assignment('g-1'), assignment('g-2')],
    });

    expect(previous.user({ ...user, displayName: undefined })).toBe(user);
    expect(previous.group({ ...group, memberUserIds: ['u-1', 'u-2'] })).toBe(
      group,
    );
    const pair = [assignment('g-1'), assignment('g-2')];
    const kept = previous.assignmentsOfPair(pair);
    expect(kept).not.toBe(pair);
    expect(kept).toEqual(pair);
  });

  it('takes the read wherever anything differs', async () => {
    const previous = await PreviousRecords.of({
      users: [user],
      groups: [group],
      assignments: [assignment('g-1'), assignment('g-2')],
    });

    const disabled = { ...user, status: 'DISABLED' as const };
    expect(previous.user(disabled)).toBe(disabled);
    const named = { ...user, displayName: 'Aamir' };
    expect(previous.user(named)).toBe(named);
    const stranger = { ...user, id: 'u-9' };
    expect(previous.user(stranger)).toBe(stranger);
    for (const memberUserIds of [['u-1'], ['u-2', 'u-1'], ['u-1', 'u-3']]) {
      const read = { ...group, memberUserIds };
      expect(previous.group(read)).toBe(read);
    }
    for (const pair of [
      [assignment('g-1')],
      [assignment('g-2'), assignment('g-1')],
      [assignment('g-1'), assignment('g-3')],
      [{ ...assignment('g-1'), accountId: '222222222222' }],
    ])
      expect(previous.assignmentsOfPair(pair)).toBe(pair);
  });

  it('keeps nothing without a previous snapshot', async () => {
    const previous = await PreviousRecords.of(undefined);
    expect(previous.user(user)).toBe(user);
    expect(previous.group(group)).toBe(group);
    const pair = [assignment('g-1')];
    expect(previous.assignmentsOfPair(pair)).toBe(pair);
  });

  it('compares arrays element by element and counts a field only one side has', () => {
    expect(sameFields({ a: ['x'] }, { a: ['x'] })).toBe(true);
    expect(sameFields({ a: ['x'] }, { a: ['x', 'y'] })).toBe(false);
    expect(sameFields({ a: 'x' }, { a: 'x', b: 'y' })).toBe(false);
    expect(sameFields({ a: 'x', b: 'y' }, { a: 'x' })).toBe(false);
  });
});

/** One clock for every read: what a read stamps (first seen, details read) is then alike in all of them. */
const now = new Date();

/** The seed organisation's Identity Center, read by the real reader through the emulator. */
async function readIdentityCenter(emulators: Emulators, previous?: AwsSide) {
  const rootConfig = new ConfigReader(
    emulatorConfigData(emulators, { entra: null }),
  );
  const config = readAwsAccessConfig(rootConfig);
  const sources = await createAccessSources({ rootConfig, config });
  return sources.aws.read({ stats: new RequestStats(), now }, previous);
}

describe('a full read after a previous one', () => {
  let emulators: Emulators;
  beforeEach(async () => {
    emulators = await startTestEmulators();
  });
  afterEach(() => emulators.close());

  it("shares the previous read's unchanged records and reads what changed, as a read without it does", async () => {
    // The seed has changes SCIM has not carried yet (the mover, the leaver): one cycle first, so that the second
    // read sees only the membership added below.
    await emulators.control.runScimCycle();
    const first = await readIdentityCenter(emulators);
    await emulators.control.addGroupMember(
      'AWS-Developers-PowerUser',
      'tom@example.com',
    );
    await emulators.control.runScimCycle();

    const second = await readIdentityCenter(emulators, first);
    const fresh = await readIdentityCenter(emulators);

    expect(JSON.stringify(second)).toBe(JSON.stringify(fresh));
    const changed = second.groups.find(
      g => g.displayName === 'AWS-Developers-PowerUser',
    )!;
    expect(changed).not.toBe(first.groups.find(g => g.id === changed.id));
    const tom = second.users.find(u => u.userName === 'tom@example.com')!;
    expect(changed.memberUserIds).toContain(tom.id);
    const unchangedGroups = second.groups.filter(g => g !== changed);
    expect(unchangedGroups.length).toBeGreaterThan(0);
    for (const g of unchangedGroups)
      expect(g).toBe(first.groups.find(f => f.id === g.id));
    expect(second.users.length).toBeGreaterThan(1);
    for (const u of second.users)
      expect(u).toBe(first.users.find(f => f.id === u.id));
    expect(second.assignments.length).toBeGreaterThan(0);
    for (const a of second.assignments) expect(first.assignments).toContain(a);
  });
});
