import { buildAccessMatrix } from './matrix';
import {
  decidablePending,
  endOfLocalDay,
  parseEntityRefs,
  reviewMatrixMembers,
  toEntityRef,
} from './reviews';
import { aamirItem, priyaItem } from '../__testUtils__/reviews';

describe('review helpers', () => {
  it('builds the members × accounts matrix from the items alone, the reviewed group first in each path', () => {
    const matrix = buildAccessMatrix(
      reviewMatrixMembers([priyaItem(), aamirItem()]),
    );
    expect(matrix.accounts.map(account => account.name)).toEqual([
      'checkout-dev',
      'payments-dev',
    ]);
    expect(matrix.rows.map(row => row.user.displayName)).toEqual([
      'Aamir Siddiqui',
      'Priya Nair',
    ]);
    const [aamir, priya] = matrix.rows;
    expect(aamir.cells[0]).toBeUndefined();
    expect(aamir.cells[1]?.highlight).toBe('pending');
    expect(priya.cells[1]?.grants[0].via.map(path => path.name)).toEqual([
      'AWS-Developers-ReadOnly',
      'AWS-Payments-Readers',
    ]);
  });

  it('offers only pending items the caller may decide for a bulk keep', () => {
    const items = [
      priyaItem(),
      aamirItem({ state: 'kept' }),
      priyaItem({ id: 'own', actions: { decide: false, delegate: false } }),
    ];
    expect(decidablePending(items).map(item => item.id)).toEqual([
      'item-priya',
    ]);
  });

  it('reads refs and bare names as entity refs', () => {
    expect(
      parseEntityRefs(
        'AWS-Developers-ReadOnly, group:default/aws-developers-poweruser\n\n other/team ',
        'group',
      ),
    ).toEqual([
      'group:default/aws-developers-readonly',
      'group:default/aws-developers-poweruser',
      'group:other/team',
    ]);
    expect(toEntityRef('sara_example.com', 'user')).toBe(
      'user:default/sara_example.com',
    );
  });

  it('takes a due day as the end of that local day', () => {
    const due = new Date(endOfLocalDay('2026-12-31'));
    expect([due.getFullYear(), due.getMonth(), due.getDate()]).toEqual([
      2026, 11, 31,
    ]);
    expect([due.getHours(), due.getMinutes()]).toEqual([23, 59]);
  });
});
