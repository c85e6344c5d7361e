import { runAtOnce } from '@aws-access/plugin-aws-access-node/alpha';
import { changedKeys } from './AwsAccessEntityProvider';

describe('changedKeys', () => {
  it('lists the keys added, changed or gone, sorted as sort() sorts them', () => {
    const before = new Map([
      ['user:default/b', 's1'],
      ['user:default/a', 's1'],
      ['group:default/gone', 's1'],
      ['group:default/same', 's1'],
    ]);
    const after = new Map([
      ['user:default/a', 's2'],
      ['user:default/b', 's1'],
      ['group:default/same', 's1'],
      ['User:default/new', 's1'],
    ]);
    expect(runAtOnce(changedKeys(before, after))).toEqual([
      'User:default/new',
      'group:default/gone',
      'user:default/a',
    ]);
  });

  it('orders 20,000 keys as sort() does', () => {
    const after = new Map(
      Array.from({ length: 20_000 }, (_, i) => [
        `user:default/${((i * 7919) % 20_000).toString(36)}-${
          i % 3 ? 'x' : 'X'
        }`,
        'sig',
      ]),
    );
    const keys = runAtOnce(changedKeys(new Map(), after));
    expect(keys).toEqual([...after.keys()].sort());
  });
});
