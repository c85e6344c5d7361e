import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { awsClients, collect, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

describe('Organizations emulator', () => {
  let emulators: Emulators;
  let client: OrganizationsClient;
  const org = () => emulators.scenario.identityCenter.organization;
  const ouId = (path: string) =>
    org().organizationalUnits.find(o => o.path === path)!.id;

  beforeAll(async () => {
    emulators = await startSeed();
    client = awsClients(emulators).organizations;
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should describe the organization', async () => {
    const { Organization } = await client.send(
      new DescribeOrganizationCommand({}),
    );
    expect(Organization).toEqual({
      Id: 'o-a1b2c3d4e5',
      Arn: 'arn:aws:organizations::100000000001:organization/o-a1b2c3d4e5',
      FeatureSet: 'ALL',
      MasterAccountArn:
        'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/100000000001',
      MasterAccountId: '100000000001',
      MasterAccountEmail: 'aws+management@example.com',
      AvailablePolicyTypes: [
        { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
      ],
    });
  });

  it('should page accounts with OU paths and states', async () => {
    const pages = await collect(
      paginateListAccounts({ client, pageSize: 5 }, {}),
    );
    expect(pages.map(p => p.Accounts!.length)).toEqual([5, 5, 2]);
    const prod = pages
      .flatMap(p => p.Accounts!)
      .find(a => a.Id === '200000000003')!;
    expect(prod).toEqual({
      Id: '200000000003',
      Arn: 'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/200000000003',
      Email: 'aws+payments-prod@example.com',
      Name: 'payments-prod',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: expect.any(Date),
      Paths: [
        `o-a1b2c3d4e5/${org().rootId}/${ouId('Workloads')}/${ouId(
          'Workloads/Prod',
        )}/200000000003/`,
      ],
    });
    const all = await client.send(new ListAccountsCommand({}));
    expect(all.Accounts).toHaveLength(12);
  });

  it('should cap MaxResults at 20 and reject tokens it did not issue', async () => {
    const noRetry = awsClients(emulators, { maxAttempts: 1 }).organizations;
    await expect(
      noRetry.send(new ListAccountsCommand({ MaxResults: 21 })),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'MAX_VALUE_EXCEEDED',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      noRetry.send(new ListAccountsCommand({ NextToken: 'made-up' })),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_NEXT_TOKEN',
    });
  });

  it('should describe accounts and their tags', async () => {
    const { Account } = await client.send(
      new DescribeAccountCommand({ AccountId: '200000000006' }),
    );
    expect(Account).toMatchObject({ Name: 'data-lake', State: 'ACTIVE' });
    const { Tags } = await client.send(
      new ListTagsForResourceCommand({ ResourceId: '200000000006' }),
    );
    expect(Tags).toEqual([
      { Key: 'owner', Value: 'data-team' },
      { Key: 'env', Value: 'prod' },
    ]);
    await expect(
      client.send(new DescribeAccountCommand({ AccountId: '999999999999' })),
    ).rejects.toMatchObject({
      name: 'AccountNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(
        new ListTagsForResourceCommand({ ResourceId: '999999999999' }),
      ),
    ).rejects.toMatchObject({ name: 'TargetNotFoundException' });
  });

  it('should walk the root and OU tree', async () => {
    const { Roots } = await client.send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      expect.objectContaining({ Id: org().rootId, Name: 'Root' }),
    ]);
    const top = await client.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: org().rootId }),
    );
    expect(top.OrganizationalUnits!.map(o => o.Name).sort()).toEqual([
      'Sandbox',
      'Security',
      'Workloads',
    ]);
    const workloads = await client.send(
      new ListOrganizationalUnitsForParentCommand({
        ParentId: ouId('Workloads'),
      }),
    );
    expect(workloads.OrganizationalUnits!.map(o => o.Name)).toEqual([
      'Dev',
      'Staging',
      'Prod',
    ]);
    const inProd = await client.send(
      new ListAccountsForParentCommand({ ParentId: ouId('Workloads/Prod') }),
    );
    expect(inProd.Accounts!.map(a => a.Name)).toEqual([
      'payments-prod',
      'web-prod',
      'data-lake',
    ]);
    const atRoot = await client.send(
      new ListAccountsForParentCommand({ ParentId: org().rootId }),
    );
    expect(atRoot.Accounts!.map(a => a.Id)).toEqual(['100000000001']);
    const { Parents } = await client.send(
      new ListParentsCommand({ ChildId: '200000000003' }),
    );
    expect(Parents).toEqual([
      { Id: ouId('Workloads/Prod'), Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    const up = await client.send(
      new ListParentsCommand({ ChildId: ouId('Workloads') }),
    );
    expect(up.Parents).toEqual([{ Id: org().rootId, Type: 'ROOT' }]);
    const { OrganizationalUnit } = await client.send(
      new DescribeOrganizationalUnitCommand({
        OrganizationalUnitId: ouId('Workloads/Dev'),
      }),
    );
    expect(OrganizationalUnit).toEqual({
      Id: ouId('Workloads/Dev'),
      Name: 'Dev',
      Arn: `arn:aws:organizations::100000000001:ou/o-a1b2c3d4e5/${ouId(
        'Workloads/Dev',
      )}`,
    });
    const children = await client.send(
      new ListChildrenCommand({
        ParentId: ouId('Security'),
        ChildType: 'ACCOUNT',
      }),
    );
    expect(children.Children).toEqual([
      { Id: '100000000002', Type: 'ACCOUNT' },
      { Id: '100000000003', Type: 'ACCOUNT' },
    ]);
  });

  it('should show an account created through the control API', async () => {
    const created = await emulators.control.createAccount({
      name: 'payments-sandbox',
      email: 'aws+payments-sandbox@example.com',
      ou: 'Sandbox',
      tags: { owner: 'backend-team' },
    });
    expect(created.id).toMatch(/^\d{12}$/);
    const { Account } = await client.send(
      new DescribeAccountCommand({ AccountId: created.id }),
    );
    expect(Account).toMatchObject({
      Name: 'payments-sandbox',
      JoinedMethod: 'CREATED',
      Paths: [`o-a1b2c3d4e5/${org().rootId}/${ouId('Sandbox')}/${created.id}/`],
    });
    const all = await collect(paginateListAccounts({ client }, {}));
    expect(all.flatMap(p => p.Accounts!)).toHaveLength(13);
    // Deterministic: the same name gives the same id after a reset.
    await emulators.control.reset();
    expect(
      (
        await emulators.control.createAccount({
          name: 'payments-sandbox',
          email: 'x@example.com',
        })
      ).id,
    ).toBe(created.id);
  });

  it('should continue through an empty page that still carries a NextToken', async () => {
    await emulators.control.injectFault({
      service: 'organizations',
      operation: 'ListAccounts',
      kind: 'empty-page',
      atCall: 2,
    });
    const pages = await collect(
      paginateListAccounts({ client, pageSize: 5 }, {}),
    );
    expect(pages.map(p => p.Accounts!.length)).toEqual([5, 0, 5, 2]);
  });
});

describe('STS emulator', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startSeed();
  });
  afterAll(() => emulators.close());

  it('should answer GetCallerIdentity and AssumeRole', async () => {
    const { sts } = awsClients(emulators);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Account: '100000000001',
      Arn: 'arn:aws:iam::100000000001:user/emulator',
    });
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::100000000001:role/IdentityCenterReader',
        RoleSessionName: 'backstage',
        DurationSeconds: 900,
      }),
    );
    expect(assumed.Credentials).toMatchObject({
      AccessKeyId: expect.stringMatching(/^ASIA/),
      Expiration: expect.any(Date),
    });
    expect(assumed.AssumedRoleUser!.Arn).toBe(
      'arn:aws:sts::100000000001:assumed-role/IdentityCenterReader/backstage',
    );
    const asRole = awsClients(emulators, {
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken,
      },
    });
    const who = await asRole.sts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(
      'arn:aws:sts::100000000001:assumed-role/IdentityCenterReader/backstage',
    );
    // The assumed role works for Organizations until it expires (emulator clock).
    await asRole.organizations.send(new DescribeOrganizationCommand({}));
    await emulators.control.advanceClock(901);
    await expect(
      asRole.organizations.send(new DescribeOrganizationCommand({})),
    ).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });

  it('should reject invalid AssumeRole input', async () => {
    const { sts } = awsClients(emulators);
    await expect(
      sts.send(
        new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
