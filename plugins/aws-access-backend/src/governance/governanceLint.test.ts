import { TestDatabases } from '@backstage/backend-test-utils';
import {
  startGovernanceBackend,
  user,
} from '../__testUtils__/governanceBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const SARA = user('sara');
const TOM = user('tom');

describe('the governance policy lint on the seed organisation', () => {
  let world: Awaited<ReturnType<typeof startGovernanceBackend>>;

  beforeAll(async () => {
    world = await startGovernanceBackend({
      knex: await databases.init('SQLITE_3'),
      governance: {
        policies: [
          // DeveloperAdmin (AdministratorAccess) approved automatically, with no ceiling.
          {
            group: 'group:default/aws-developers-admin',
            autoApprove: true,
            approvers: ['account-owners'],
          },
          // AWS-Data-Analysts has no Entra owners: nobody could approve.
          {
            group: 'group:default/aws-data-analysts',
            approvers: ['group-owners'],
            maxDuration: 'PT1H',
          },
          // The first match wins: the ReadOnly group is linted under this policy only.
          {
            group: 'group:default/aws-developers-readonly',
            approvers: ['group-owners'],
            maxDuration: 'PT8H',
          },
          {
            group: 'group:default/aws-developers-*',
            approvers: ['group-owners'],
            maxDuration: 'PT4H',
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('finds admin access without a ceiling or approved automatically, and groups nobody can approve', async () => {
    const res = await world.get('/governance/lint', SARA).expect(200);
    const findings = res.body.findings.map((f: any) => [f.code, f.group]);
    expect(findings).toEqual(
      expect.arrayContaining([
        ['admin-without-max-duration', 'group:default/aws-developers-admin'],
        ['auto-approve-admin', 'group:default/aws-developers-admin'],
        ['no-approvers', 'group:default/aws-data-analysts'],
      ]),
    );
    // ReadOnly and PowerUser have an owner (Maria) and a ceiling.
    expect(
      findings.filter(([, group]: string[]) =>
        [
          'group:default/aws-developers-readonly',
          'group:default/aws-developers-poweruser',
        ].includes(group),
      ),
    ).toEqual([]);
    expect(res.body.findings).toContainEqual(
      expect.objectContaining({
        code: 'no-approvers',
        severity: 'error',
        message: expect.stringContaining(
          'Nobody can approve requests for AWS-Data-Analysts',
        ),
      }),
    );
    expect(world.openApiProblems()).toEqual([]);
  });

  it('offers the auto-approved group, and approves it at once, still in the history', async () => {
    const res = await world
      .submit(TOM, { group: 'group:default/aws-developers-admin' })
      .expect(201);
    expect(res.body).toMatchObject({ state: 'approved' });
    expect(res.body.duration).toBeUndefined();
    const history = await world.store.history(res.body.id);
    expect(history.map(h => [h.by, h.to])).toEqual([
      [TOM, 'submitted'],
      ['system', 'approved'],
    ]);
  });
});
