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
      eventRefreshMinIntervalMs: 30_000,
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
          eventRefreshMinInterval: { minutes: 1, seconds: 30 },
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
      eventRefreshMinIntervalMs: 90_000,
    });
  });

  it.each([
    [{ seconds: 0 }, 0],
    ['PT0S', 0],
    ['PT2M', 120_000],
    ['45s', 45_000],
    [{ milliseconds: 1500 }, 1500],
  ])('should read eventRefreshMinInterval %j', (value, ms) => {
    expect(read({ eventRefreshMinInterval: value })).toMatchObject({
      eventRefreshMinIntervalMs: ms,
    });
  });

  it.each([
    [30, 'expected a duration'],
    ['soon', 'expected a duration'],
    [{ secs: 30 }, 'expected a duration'],
    [{ seconds: -1 }, 'must not be negative'],
  ])(
    'should reject eventRefreshMinInterval %j naming the key',
    (value, message) => {
      expect(() => read({ eventRefreshMinInterval: value })).toThrow(
        `Invalid config at 'catalog.providers.awsAccess.eventRefreshMinInterval': ${message}`,
      );
      expect(() => read({ corp: { eventRefreshMinInterval: value } })).toThrow(
        `Invalid config at 'catalog.providers.awsAccess.corp.eventRefreshMinInterval': ${message}`,
      );
    },
  );

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
