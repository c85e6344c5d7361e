import { ConfigReader } from '@backstage/config';
import { readProviderConfig } from './config';

const read = (awsAccess: unknown, extra: Record<string, unknown> = {}) =>
  readProviderConfig(
    new ConfigReader({
      ...extra,
      catalog: awsAccess === undefined ? {} : { providers: { awsAccess } },
    }),
  );

describe('readProviderConfig', () => {
  it('should default everything when the block is absent', () => {
    expect(read(undefined)).toEqual({
      id: 'default',
      mode: 'link',
      ownerTag: 'owner',
      defaultOwner: 'group:default/platform-team',
      systemTag: undefined,
      relations: 'none',
      linkAccountsFromUpstream: false,
      accessPageUrl: undefined,
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 10 },
        initialDelay: { seconds: 15 },
      },
    });
  });

  it('should read the single-object form', () => {
    expect(
      read(
        {
          mode: 'emit',
          ownerTag: 'team',
          defaultOwner: 'cloud-team',
          systemTag: 'system',
          relations: 'groups',
          linkAccountsFromUpstream: true,
          schedule: { frequency: { minutes: 5 }, timeout: { minutes: 2 } },
        },
        { app: { baseUrl: 'https://backstage.example.com/' } },
      ),
    ).toEqual({
      id: 'default',
      mode: 'emit',
      ownerTag: 'team',
      defaultOwner: 'group:default/cloud-team',
      systemTag: 'system',
      relations: 'groups',
      linkAccountsFromUpstream: true,
      accessPageUrl: 'https://backstage.example.com/aws-access',
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 2 } },
    });
  });

  it('should read the named-map form with one entry', () => {
    expect(read({ corp: { mode: 'emit' } })).toMatchObject({
      id: 'corp',
      mode: 'emit',
    });
    expect(read({ corp: {} })).toMatchObject({ id: 'corp', mode: 'link' });
  });

  it.each([
    [{ mode: 'mirror' }, "'catalog.providers.awsAccess.mode'"],
    [{ mode: 'emit', ownertag: 'x' }, "'catalog.providers.awsAccess.ownertag'"],
    [{ ownertag: 'x' }, "'catalog.providers.awsAccess.ownertag'"],
    [
      { defaultOwner: 'group:default/Not Valid!' },
      "'catalog.providers.awsAccess.defaultOwner'",
    ],
    [{ ownerTag: '  ' }, "'catalog.providers.awsAccess.ownerTag'"],
    [{ relations: 'users' }, "'catalog.providers.awsAccess.relations'"],
    [
      { accessPageUrl: '/aws-access' },
      "'catalog.providers.awsAccess.accessPageUrl'",
    ],
    [
      { schedule: { frequency: { minutes: 5 } } },
      "'catalog.providers.awsAccess.schedule'",
    ],
    [{ a: {}, b: {} }, "'catalog.providers.awsAccess'"],
    [{ 'bad id!': {} }, "'catalog.providers.awsAccess.bad id!'"],
    [{ corp: { mode: 'x' } }, "'catalog.providers.awsAccess.corp.mode'"],
  ])('should reject %j naming the key', (awsAccess, key) => {
    expect(() => read(awsAccess)).toThrow(key);
  });

  it('should reject values of the wrong type naming the key', () => {
    expect(() => read({ linkAccountsFromUpstream: { yes: 1 } })).toThrow(
      /catalog\.providers\.awsAccess\.linkAccountsFromUpstream/,
    );
    expect(() => read({ mode: 42 })).toThrow(
      /catalog\.providers\.awsAccess\.mode/,
    );
  });
});
