import { AccessIndex } from '../../snapshot/AccessIndex';
import { miniSnapshot } from '../../snapshot/__fixtures__/miniSnapshot';
import { permissionSets, toPermissionSet } from './accounts';
import { catalogProjection } from './catalogProjection';

function indexWithProvisionedPairs() {
  const snapshot = miniSnapshot();
  const [ro, pu] = snapshot.aws.permissionSets.map(ps => ps.arn);
  snapshot.aws.provisionedPairs = [
    { accountId: '200000000003', permissionSetArn: ro },
    { accountId: '200000000001', permissionSetArn: pu },
    { accountId: '200000000001', permissionSetArn: ro },
    // Listed twice (two reads of the same pair): shown once.
    { accountId: '200000000003', permissionSetArn: ro },
  ];
  return AccessIndex.build({ snapshot, version: 7 });
}

describe("permission sets' provisioned accounts, grouped in one pass over the pairs", () => {
  it('are those one filter per permission set finds, sorted and once each, in the catalog projection', () => {
    const index = indexWithProvisionedPairs();
    const projection = catalogProjection(index);
    expect(
      projection.permissionSets.map(ps => [ps.name, ps.provisionedAccountIds]),
    ).toEqual([
      ['DeveloperReadOnly', ['200000000001', '200000000003']],
      ['DeveloperPowerUser', ['200000000001']],
      ['DataAnalyst', []],
      ['BreakGlassAdmin', []],
    ]);
    // toPermissionSet without the grouped list filters the pairs itself (GET /permission-sets/:name).
    expect(projection.permissionSets).toEqual(
      index.snapshot.aws.permissionSets.map(ps => toPermissionSet(index, ps)),
    );
  });

  it('are the same in GET /permission-sets', () => {
    const index = indexWithProvisionedPairs();
    expect(
      permissionSets(index).map(ps => [ps.name, ps.provisionedAccountIds]),
    ).toEqual([
      ['BreakGlassAdmin', []],
      ['DataAnalyst', []],
      ['DeveloperPowerUser', ['200000000001']],
      ['DeveloperReadOnly', ['200000000001', '200000000003']],
    ]);
  });
});
