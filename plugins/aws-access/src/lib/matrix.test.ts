import { buildAccessMatrix } from './matrix';
import {
  aamir,
  activeGrant,
  adminPendingGrant,
  alex,
  groupAccess,
  nestedGrant,
  noor,
  revokingGrant,
  shen,
} from '../__testUtils__/fixtures';

describe('buildAccessMatrix', () => {
  const matrix = buildAccessMatrix(groupAccess());

  it('has accounts as columns by name and members as rows by name', () => {
    expect(matrix.accounts).toEqual([
      { id: '200000000001', name: 'payments-dev' },
      { id: '200000000003', name: 'payments-prod' },
    ]);
    expect(matrix.rows.map(row => row.user.displayName)).toEqual([
      aamir.displayName,
      alex.displayName,
      noor.displayName,
      shen.displayName,
    ]);
  });

  it('shows the strongest permission set per cell and flags what is pending', () => {
    const aamirRow = matrix.rows[0];
    expect(aamirRow.cells[0]).toBeUndefined();
    expect(aamirRow.cells[1]).toMatchObject({
      shown: { permissionSet: { name: 'DeveloperAdmin' }, state: 'pending' },
      strength: 3,
      highlight: 'pending',
    });
    expect(aamirRow.cells[1]?.grants).toEqual([activeGrant, adminPendingGrant]);
    expect(aamirRow.highlight).toBe('pending');
  });

  it('flags revoking cells and rows (leavers)', () => {
    const alexRow = matrix.rows[1];
    expect(alexRow.cells[1]).toMatchObject({
      shown: { state: 'revoking' },
      strength: 1,
      highlight: 'revoking',
    });
    expect(alexRow.highlight).toBe('revoking');
  });

  it('keeps members without access as empty rows', () => {
    expect(matrix.rows[2].cells).toEqual([undefined, undefined]);
    expect(matrix.rows[2].highlight).toBeUndefined();
  });

  it('prefers a grant that reaches AWS over a stronger nested one, and ranks revoking over pending', () => {
    const nestedAdmin = {
      ...nestedGrant,
      accountId: revokingGrant.accountId,
      permissionSet: { ...nestedGrant.permissionSet, name: 'Admin' },
    };
    const result = buildAccessMatrix({
      members: [
        {
          user: shen,
          grants: [
            nestedAdmin,
            revokingGrant,
            {
              ...adminPendingGrant,
              accountId: revokingGrant.accountId,
              permissionSet: { ...adminPendingGrant.permissionSet, name: 'X' },
            },
          ],
        },
      ],
    });
    const cell = result.rows[0].cells[0];
    expect(cell?.shown.permissionSet.name).toBe('DeveloperReadOnly');
    expect(cell?.highlight).toBe('revoking');
  });

  it('shows a nested-only cell as never provisioned', () => {
    const result = buildAccessMatrix({
      members: [{ user: noor, grants: [nestedGrant] }],
    });
    expect(result.rows[0].cells[0]).toMatchObject({
      shown: nestedGrant,
      highlight: 'unsupported-nesting',
      strength: 0,
    });
  });
});
