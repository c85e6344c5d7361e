import { csvFileName } from './csv';

describe('CSV export', () => {
  it('names the file after the group', () => {
    expect(csvFileName('group:default/team-payments')).toBe(
      'team-access-team-payments.csv',
    );
    expect(csvFileName('group:default/a b/c')).toBe('team-access-c.csv');
  });
});
