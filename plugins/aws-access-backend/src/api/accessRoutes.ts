import { NotFoundError } from '@backstage/errors';
import type { ProvisionResult } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessProvisionAnyPermission,
  awsAccessProvisionSelfPermission,
  isOpenRequestState,
  requestStates,
} from '@aws-access/plugin-aws-access-common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import {
  accountIdParam,
  entityRefParam,
  parse,
  permissionSetNameParam,
} from './parameters';
import { parsePageQuery } from './pageQuery';
import {
  accountAccess,
  accountSummaries,
  permissionSetDetails,
  permissionSets,
} from './views/accounts';
import { matchingGrants } from './views/accessPage';
import { REPORT_CSV_HEADER, reportCsvLine } from './views/csv';
import {
  groupAccessBody,
  groupListCaching,
  membersOf,
} from './views/groupAccess';
import { reportRow } from './views/report';
import { userTimeline } from './views/timeline';
import { awsCliConfigOf, toGrant, userAccess } from './views/userAccess';
import { streamCsv } from './streamCsv';
import { sendJsonBytes } from './sendJsonBytes';

/** Whose access and what it gives: people, groups, accounts and permission sets, and provision-on-demand. */
export function accessRoutes(router: AwsAccessRouter, api: ApiContext) {
  peopleRoutes(router, api);
  accountRoutes(router, api);
  router.post('/provision', async (req, res) => {
    res.json(await provision(req, api));
  });
}

const OPEN_REQUEST_STATES = requestStates.filter(isOpenRequestState);

/** A person's open access requests (by their catalog ref): the grants they explain say so. */
async function openRequestsOf(api: ApiContext, requester: string) {
  return (
    (await api.options.requests?.list({
      requester,
      states: OPEN_REQUEST_STATES,
    })) ?? []
  );
}

/** A person's access (yourself, or others with permission), their timeline, and a group's access. */
function peopleRoutes(router: AwsAccessRouter, api: ApiContext) {
  const { access, identities, staleAfterMs } = api.options;
  const userRef = (req: Request) =>
    parse(entityRefParam('user'), req.params.entityRef, 'entityRef');
  const page = (req: Request) => parsePageQuery(req.query, 'account');

  router.get('/me', async (req, res) => {
    const request = page(req);
    const caller = await access.caller(req, { userOnly: true });
    const index = await api.currentIndex();
    const person = await identities.resolve(index, caller.userEntityRef!);
    const requests = await openRequestsOf(api, caller.userEntityRef!);
    res.json(
      userAccess(
        index,
        person,
        api.now(),
        staleAfterMs,
        requests,
        request,
        api.accessLists,
      ),
    );
  });

  router.get('/users/:entityRef', async (req, res) => {
    const ref = userRef(req);
    const request = page(req);
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const person = await api.personFor(req, caller, index, ref);
    const requests = await openRequestsOf(api, ref);
    res.json(
      userAccess(
        index,
        person,
        api.now(),
        staleAfterMs,
        requests,
        request,
        api.accessLists,
      ),
    );
  });

  router.get('/me/aws-cli-config', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const index = await api.currentIndex();
    const person = await identities.resolve(index, caller.userEntityRef!);
    sendAwsCliConfig(res, awsCliConfigOf(index, person, api.now()));
  });

  router.get('/users/:entityRef/aws-cli-config', async (req, res) => {
    const ref = userRef(req);
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const person = await api.personFor(req, caller, index, ref);
    sendAwsCliConfig(res, awsCliConfigOf(index, person, api.now()));
  });

  router.get('/me/timeline', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const index = await api.currentIndex();
    const person = await identities.resolve(index, caller.userEntityRef!);
    res.json(userTimeline(index, person));
  });

  router.get('/users/:entityRef/timeline', async (req, res) => {
    const ref = userRef(req);
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    res.json(userTimeline(index, await api.personFor(req, caller, index, ref)));
  });

  router.get('/groups/:entityRef', async (req, res) => {
    const request = parsePageQuery(req.query, 'member');
    const { index, group } = await readableGroup(req, api, 'group-access-read');
    await sendJsonBytes(
      req,
      res,
      groupAccessBody(
        index,
        group,
        api.now(),
        staleAfterMs,
        request,
        api.accessLists,
      ),
    );
  });

  router.get('/groups/:entityRef/export', async (req, res) => {
    const request = parsePageQuery(req.query, 'member');
    const { index, group } = await readableGroup(
      req,
      api,
      'group-access-export',
    );
    const now = api.now();
    const rows = matchingGrants(
      index,
      () => membersOf(index, group),
      request,
      now,
      groupListCaching(api.accessLists, group),
    );
    await streamCsv(
      res,
      `team-access-${group.displayName.replace(/[^\w.-]+/g, '_')}-v${
        index.version
      }.csv`,
      REPORT_CSV_HEADER,
      (function* lines() {
        for (const { person, grant } of rows)
          yield reportCsvLine(reportRow(person, toGrant(index, grant, now)));
      })(),
    );
  });
}

/** A `~/.aws/config` as a download: it is meant to be saved (or merged into the file), not shown. */
function sendAwsCliConfig(res: Response, config: string) {
  res
    .type('text/plain')
    .set('Content-Disposition', 'attachment; filename="aws-config"')
    .send(config);
}

/** The group a route asks about, once the caller may read it (audited as `eventId`). */
async function readableGroup(req: Request, api: ApiContext, eventId: string) {
  const groupRef = parse(
    entityRefParam('group'),
    req.params.entityRef,
    'entityRef',
  );
  const caller = await api.access.caller(req);
  const event = await api.audit(req, {
    eventId,
    severityLevel: 'low',
    meta: { subject: groupRef },
  });
  await api.requireGroupRead(caller, groupRef, event);
  const index = await api.currentIndex();
  const group = index.identityGroupsByRef.get(groupRef);
  if (!group) {
    const error = new NotFoundError(
      `${groupRef} is not an Entra group the last sync saw`,
    );
    await event.fail({ error });
    throw error;
  }
  await event.success();
  return { index, group };
}

/** Accounts and permission sets, and who holds them (as far as the caller may see: the principal view). */
function accountRoutes(router: AwsAccessRouter, api: ApiContext) {
  const { access, staleAfterMs } = api.options;

  router.get('/accounts', async (req, res) => {
    await access.caller(req);
    res.json({ accounts: accountSummaries(await api.currentIndex()) });
  });

  router.get('/accounts/:accountId', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
    const request = parsePageQuery(req.query, 'member');
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const account = index.accountsById.get(accountId);
    if (!account)
      throw new NotFoundError(
        `Account ${accountId} is not in the organization`,
      );
    const view = await api.principalView(caller, index);
    res.json(
      accountAccess(
        index,
        account,
        api.now(),
        staleAfterMs,
        view,
        request,
        api.accessLists,
      ),
    );
  });

  router.get('/permission-sets', async (req, res) => {
    await access.caller(req);
    res.json({ permissionSets: permissionSets(await api.currentIndex()) });
  });

  router.get('/permission-sets/:name', async (req, res) => {
    const name = parse(permissionSetNameParam, req.params.name, 'name');
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const ps = index.permissionSetsByName.get(name);
    if (!ps) throw new NotFoundError(`Permission set ${name} does not exist`);
    res.json(
      permissionSetDetails(index, ps, await api.principalView(caller, index)),
    );
  });
}

/** Provision-on-demand for the caller (or, with permission, anyone), audited with what the identity source did. */
async function provision(
  req: Request,
  api: ApiContext,
): Promise<ProvisionResult> {
  const { access, identities, provisioning, staleAfterMs } = api.options;
  const body = parse(
    z.object({ user: entityRefParam('user').optional() }).default({}),
    req.body ?? {},
    'body',
  );
  const caller = await access.caller(req, { userOnly: true });
  api.requireIdentitySource('Provision-on-demand');
  const target = body.user ?? caller.userEntityRef!;
  const self = target === caller.userEntityRef;
  const event = await api.authorize(req, caller, {
    permission: self
      ? awsAccessProvisionSelfPermission
      : awsAccessProvisionAnyPermission,
    what: self
      ? 'request provisioning for yourself'
      : `provision or deprovision ${target}`,
    audit: {
      eventId: 'provision-on-demand',
      severityLevel: 'high',
      meta: { subject: target },
    },
  });
  const { index, person } = await api.refusing(event, async () => {
    const current = await api.currentIndex();
    return {
      index: current,
      person: self
        ? await identities.resolve(current, target)
        : await identities.resolveSubject(current, target),
    };
  });
  const outcome = await provisioning.provision({ index, person });
  await (outcome.outcome === 'failure'
    ? event.fail({
        error: new Error(outcome.message),
        meta: { action: outcome.action },
      })
    : event.success({
        meta: { action: outcome.action, outcome: outcome.outcome },
      }));
  const fresh = await api.currentIndex();
  const after = fresh.personByKey(person.key) ?? person;
  return {
    user: fresh.accessUser(after),
    action: outcome.action,
    outcome: outcome.outcome,
    message: outcome.message,
    access: userAccess(fresh, after, api.now(), staleAfterMs),
  };
}
