import { csvFileName, escapeCsvCell, groupAccessToCsv, toCsv } from './csv';
import {
  groupAccess,
  hostileName,
  shen,
  twoPathGrant,
} from '../__testUtils__/fixtures';

describe('CSV export', () => {
  it.each([
    ['plain', '"plain"'],
    ['with "quotes"', '"with ""quotes"""'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['=SUM(A1:A9)', `"'=SUM(A1:A9)"`],
    ['+1-555', `"'+1-555"`],
    ['-2+3', `"'-2+3"`],
    ['@cmd', `"'@cmd"`],
    ['\tTAB', `"'\tTAB"`],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['a=b', '"a=b"'],
  ])('escapes %j as %s', (value, expected) => {
    expect(escapeCsvCell(value)).toBe(expected);
  });

  it('writes RFC 4180 lines', () => {
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('"a","b"\r\n"1","2"\r\n');
  });

  it('exports one row per member grant, names and formulas made harmless', () => {
    const csv = groupAccessToCsv(
      groupAccess({
        members: [
          {
            user: { ...shen, displayName: hostileName },
            grants: [twoPathGrant],
          },
        ],
      }),
    );
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      '"user","userEntityRef","accountId","accountName","permissionSet","sessionDuration","via","state"',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      [
        '"<img src=x onerror=alert(1)>=HYPERLINK(""http://evil"")"',
        '"user:default/shen.li_example.com"',
        '"200000000003"',
        '"payments-prod"',
        '"DeveloperReadOnly"',
        '"PT4H"',
        '"AWS-Developers-PowerUser (active); AWS-Developers-ReadOnly (revoking)"',
        '"active"',
      ].join(','),
    );
  });

  it('prefixes a display name that starts like a formula', () => {
    const csv = groupAccessToCsv(
      groupAccess({
        members: [
          {
            user: { ...shen, displayName: '=cmd|"/c calc"!A1' },
            grants: [twoPathGrant],
          },
        ],
      }),
    );
    expect(csv.split('\r\n')[1].startsWith(`"'=cmd|""/c calc""!A1"`)).toBe(
      true,
    );
  });

  it('names the file after the group', () => {
    expect(csvFileName('group:default/team-payments')).toBe(
      'team-access-team-payments.csv',
    );
    expect(csvFileName('group:default/a b/c')).toBe('team-access-c.csv');
  });
});
