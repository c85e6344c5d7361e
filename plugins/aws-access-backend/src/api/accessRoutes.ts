import { NotFoundError } from '@backstage/errors';
import type { ProvisionResult } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessProvisionAnyPermission,
  awsAccessProvisionSelfPermission,
  isOpenRequestState,
  requestStates,
} from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import { z } from 'zod';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import {
  accountIdParam,
  entityRefParam,
  parse,
  permissionSetNameParam,
} from './parameters';
import {
  accountAccess,
  accountSummaries,
  permissionSetDetails,
  permissionSets,
} from './views/accounts';
import { groupAccess } from './views/groupAccess';
import { userTimeline } from './views/timeline';
import { userAccess } from './views/userAccess';

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

  router.get('/me', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const index = await api.currentIndex();
    const person = await identities.resolve(index, caller.userEntityRef!);
    const requests = await openRequestsOf(api, caller.userEntityRef!);
    res.json(userAccess(index, person, api.now(), staleAfterMs, requests));
  });

  router.get('/users/:entityRef', async (req, res) => {
    const ref = userRef(req);
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const person = await api.personFor(req, caller, index, ref);
    const requests = await openRequestsOf(api, ref);
    res.json(userAccess(index, person, api.now(), staleAfterMs, requests));
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
    const groupRef = parse(
      entityRefParam('group'),
      req.params.entityRef,
      'entityRef',
    );
    const caller = await access.caller(req);
    const event = await api.audit(req, {
      eventId: 'group-access-read',
      severityLevel: 'low',
      meta: { subject: groupRef },
    });
    await api.requireGroupRead(caller, groupRef, event);
    const index = await api.currentIndex();
    const group = index.identityGroupsByRef.get(groupRef);
    if (!group)
      throw new NotFoundError(
        `${groupRef} is not an Entra group the last sync saw`,
      );
    await event.success();
    res.json(groupAccess(index, group, api.now(), staleAfterMs));
  });
}

/** Accounts and permission sets, and who reaches an account (filtered to whom the caller may see). */
function accountRoutes(router: AwsAccessRouter, api: ApiContext) {
  const { access, staleAfterMs } = api.options;

  router.get('/accounts', async (req, res) => {
    await access.caller(req);
    res.json({ accounts: accountSummaries(await api.currentIndex()) });
  });

  router.get('/accounts/:accountId', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
    const caller = await access.caller(req);
    const index = await api.currentIndex();
    const account = index.accountsById.get(accountId);
    if (!account)
      throw new NotFoundError(
        `Account ${accountId} is not in the organization`,
      );
    const visible = await api.visiblePeople(caller, index);
    res.json(accountAccess(index, account, api.now(), staleAfterMs, visible));
  });

  router.get('/permission-sets', async (req, res) => {
    await access.caller(req);
    res.json({ permissionSets: permissionSets(await api.currentIndex()) });
  });

  router.get('/permission-sets/:name', async (req, res) => {
    const name = parse(permissionSetNameParam, req.params.name, 'name');
    await access.caller(req);
    const index = await api.currentIndex();
    const ps = index.permissionSetsByName.get(name);
    if (!ps) throw new NotFoundError(`Permission set ${name} does not exist`);
    res.json(permissionSetDetails(index, ps));
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
      person: await identities.resolve(current, target),
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
