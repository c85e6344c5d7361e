import { REPORT_CSV_HEADER, reportCsvLine, reportToCsv } from './csv';

const row = {
  userEntityRef: 'user:default/mallory',
  userName: '=HYPERLINK("http://evil","x")',
  accountId: '200000000003',
  accountName: '+payments',
  permissionSet: '@Admin',
  sessionDuration: 'PT1H',
  via: '-Team, "B" (active)',
  state: 'active' as const,
};

describe('report CSV', () => {
  it('quotes every cell and makes values a spreadsheet would run into text', () => {
    expect(reportCsvLine(row)).toBe(
      `"'=HYPERLINK(""http://evil"",""x"")","user:default/mallory","'+payments","200000000003","'@Admin","PT1H","'-Team, ""B"" (active)","active"\r\n`,
    );
  });

  it('streams the same text the whole report is', () => {
    expect(REPORT_CSV_HEADER + reportCsvLine(row)).toBe(reportToCsv([row]));
    expect(REPORT_CSV_HEADER).toBe(
      'user,user_ref,account,account_id,permission_set,session_duration,via,state\r\n',
    );
  });
});
