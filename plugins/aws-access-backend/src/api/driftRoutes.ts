import { NotFoundError } from '@backstage/errors';
import {
  awsAccessAllReadPermission,
  awsAccessReportReadPermission,
} from '@aws-access/plugin-aws-access-common';
import { z } from 'zod';
import type { Caller } from '../auth/AccessControl';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { accountIdParam, entityRefParam, parse } from './parameters';
import { reportToCsv } from './views/csv';
import { diagnose } from './views/diagnose';
import { driftReport } from './views/drift';
import { reportRows } from './views/report';

/** What needs attention: the drift report, the troubleshooting walk for one person and account, and the report. */
export function driftRoutes(router: AwsAccessRouter, api: ApiContext) {
  const { access, identities, staleAfterMs } = api.options;

  router.get('/drift', async (req, res) => {
    const caller = await access.caller(req);
    await api.requirePermission(
      caller,
      awsAccessAllReadPermission,
      'read drift across the organization',
    );
    res.json(driftReport(await api.currentIndex(), api.now(), staleAfterMs));
  });

  router.get('/diagnose', async (req, res) => {
    const query = parse(
      z.object({ user: entityRefParam('user'), account: accountIdParam }),
      req.query,
      'query',
    );
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const self = caller.userEntityRef === query.user;
    if (!self) {
      const event = await api.authorize(req, caller, {
        permission: awsAccessAllReadPermission,
        what: `diagnose ${query.user}'s access`,
        audit: {
          eventId: 'user-access-diagnose',
          severityLevel: 'medium',
          meta: { subject: query.user },
        },
      });
      await event.success();
    }
    const person = self
      ? await identities.resolve(index, query.user)
      : await identities.resolveSubject(index, query.user);
    const account = index.accountsById.get(query.account);
    if (!account)
      throw new NotFoundError(
        `Account ${query.account} is not in the organization`,
      );
    res.json(diagnose(index, person, account, api.now()));
  });

  router.get('/report', async (req, res) => {
    const query = parse(
      z.object({
        format: z.enum(['csv', 'json']).default('json'),
        group: entityRefParam('group').optional(),
      }),
      req.query,
      'query',
    );
    const caller = await access.caller(req, {
      servicePermission: awsAccessReportReadPermission,
    });
    await api.requirePermission(
      caller,
      awsAccessReportReadPermission,
      'read the access report',
    );
    const index = await api.currentIndex();
    const visible = await reportAudience(api, caller, index, query.group);
    const rows = reportRows(index, api.now(), visible);
    const event = await api.audit(req, {
      eventId: 'access-report',
      severityLevel: 'medium',
      meta: { format: query.format, group: query.group, rows: rows.length },
    });
    await event.success();
    if (query.format === 'csv') {
      res
        .type('text/csv')
        .set(
          'Content-Disposition',
          `attachment; filename="aws-access-report-v${index.version}.csv"`,
        )
        .send(reportToCsv(rows));
      return;
    }
    res.json({ snapshotVersion: index.version, rows });
  });
}

/**
 * Whose rows a report has: the rows the caller may see (their readable people, everyone on the accounts they
 * own), narrowed to a group's members when one is asked for.
 */
async function reportAudience(
  api: ApiContext,
  caller: Caller,
  index: AccessIndex,
  groupRef: string | undefined,
): Promise<(person: Person, accountId: string) => boolean> {
  const view = await api.principalView(caller, index);
  const visible = (person: Person, accountId: string) =>
    view.showsPerson(person, accountId);
  if (!groupRef) return visible;
  const group = index.identityGroupsByRef.get(groupRef);
  if (!group)
    throw new NotFoundError(
      `${groupRef} is not an Entra group the last sync saw`,
    );
  const members = new Set(index.transitiveUserIds(group));
  return (person, accountId) =>
    members.has(person.key) && visible(person, accountId);
}
