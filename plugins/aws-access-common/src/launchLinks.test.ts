import {
  buildAwsCliConfig,
  buildLaunchUrl,
  buildMyAppsUrl,
  awsPartitionOf,
  defaultAccessPortalUrl,
} from './launchLinks';

describe('buildLaunchUrl', () => {
  it.each([
    [
      'the contract example',
      {
        accessPortalUrl: 'https://d-9067a1b2c3.awsapps.com/start',
        accountId: '200000000003',
        permissionSetName: 'DeveloperReadOnly',
      },
      'https://d-9067a1b2c3.awsapps.com/start/#/console?account_id=200000000003&role_name=DeveloperReadOnly',
    ],
    [
      'a trailing slash on the portal',
      {
        accessPortalUrl: 'https://corp.awsapps.com/start/',
        accountId: '123456789012',
        permissionSetName: 'Admin',
      },
      'https://corp.awsapps.com/start/#/console?account_id=123456789012&role_name=Admin',
    ],
    [
      'an encoded destination',
      {
        accessPortalUrl: 'https://corp.awsapps.com/start',
        accountId: '123456789012',
        permissionSetName: 'Dev+Ops@x',
        destination: 'https://console.aws.amazon.com/ec2/home?region=us-east-1',
      },
      'https://corp.awsapps.com/start/#/console?account_id=123456789012&role_name=Dev%2BOps%40x&destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Dus-east-1',
    ],
  ])('builds %s', (_name, options, expected) => {
    expect(buildLaunchUrl(options)).toBe(expected);
  });

  it.each([
    [
      {
        accessPortalUrl: 'http://corp.awsapps.com/start',
        accountId: '123456789012',
        permissionSetName: 'A',
      },
      /must use https/,
    ],
    [
      {
        accessPortalUrl: 'not a url',
        accountId: '123456789012',
        permissionSetName: 'A',
      },
      /not a URL/,
    ],
    [
      {
        accessPortalUrl: 'https://corp.awsapps.com/start',
        accountId: '12345',
        permissionSetName: 'A',
      },
      /12 digits/,
    ],
    [
      {
        accessPortalUrl: 'https://corp.awsapps.com/start',
        accountId: '123456789012',
        permissionSetName: 'a b',
      },
      /permission set name/,
    ],
    [
      {
        accessPortalUrl: 'https://corp.awsapps.com/start',
        accountId: '123456789012',
        permissionSetName: 'x'.repeat(33),
      },
      /permission set name/,
    ],
  ])('rejects %j', (options, message) => {
    expect(() => buildLaunchUrl(options)).toThrow(message);
  });
});

describe('defaultAccessPortalUrl', () => {
  it('derives the portal from the identity store id', () => {
    expect(defaultAccessPortalUrl('d-9067a1b2c3')).toBe(
      'https://d-9067a1b2c3.awsapps.com/start',
    );
  });

  it('refuses something that is not an identity store id', () => {
    expect(() => defaultAccessPortalUrl('evil.com/x')).toThrow(
      /identity store id/,
    );
  });

  it.each([
    ['eu-west-1', 'https://d-9067a1b2c3.awsapps.com/start'],
    [
      'us-gov-west-1',
      'https://start.us-gov-home.awsapps.com/directory/d-9067a1b2c3',
    ],
    ['cn-north-1', 'https://start.home.awsapps.cn/directory/d-9067a1b2c3'],
  ])("uses the portal domain of the region's partition (%s)", (region, url) => {
    expect(defaultAccessPortalUrl('d-9067a1b2c3', region)).toBe(url);
  });
});

describe('awsPartitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-northwest-1', 'aws-cn'],
  ])('%s is in %s', (region, partition) => {
    expect(awsPartitionOf(region)).toBe(partition);
  });

  it('refuses the isolated partitions Identity Center does not run in', () => {
    expect(() => awsPartitionOf('us-iso-east-1')).toThrow(
      /aws, aws-us-gov and aws-cn/,
    );
  });
});

describe('buildMyAppsUrl', () => {
  it('uses the application id and tenant id', () => {
    expect(
      buildMyAppsUrl({
        appId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
        tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
      }),
    ).toBe(
      'https://launcher.myapps.microsoft.com/api/signin/2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa?tenantId=8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    );
  });

  it('rejects ids that are not GUIDs', () => {
    expect(() => buildMyAppsUrl({ appId: 'x', tenantId: 'y' })).toThrow(
      /GUIDs/,
    );
  });
});

describe('buildAwsCliConfig', () => {
  it('writes one sso-session and one profile per distinct grant', () => {
    const text = buildAwsCliConfig({
      sessionName: 'example',
      startUrl: 'https://d-9067a1b2c3.awsapps.com/start',
      region: 'us-east-1',
      profiles: [
        {
          accountId: '200000000003',
          accountName: 'payments-prod',
          permissionSetName: 'DeveloperReadOnly',
        },
        {
          accountId: '200000000003',
          accountName: 'payments-prod',
          permissionSetName: 'DeveloperReadOnly',
        },
        {
          accountId: '200000000001',
          accountName: 'Payments Dev',
          permissionSetName: 'DeveloperPowerUser',
        },
      ],
    });
    expect(text).toBe(
      [
        '[sso-session example]',
        'sso_start_url = https://d-9067a1b2c3.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile payments-prod-developerreadonly]',
        'sso_session = example',
        'sso_account_id = 200000000003',
        'sso_role_name = DeveloperReadOnly',
        'region = us-east-1',
        '',
        '[profile payments-dev-developerpoweruser]',
        'sso_session = example',
        'sso_account_id = 200000000001',
        'sso_role_name = DeveloperPowerUser',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
  });
});
