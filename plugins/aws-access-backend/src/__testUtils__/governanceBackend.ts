import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { Permission } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { RequestStore } from '../governance/RequestStore';
import { accessSourcesServiceRef } from '../sources/accessSourcesServiceRef';
import { startEmulatorWorld } from './emulatorWorld';
import { openApiProblems } from './openapi';
import { cloudAccountEntities, startAccessBackend } from './testBackend';

/** A seed user's entity ref, e.g. `user('aamir')`. */
export const user = (name: string) => `user:default/${name}_example.com`;

/**
 * The backend with `awsAccess.governance` on the seed organisation: the group owners the scenario lists (as
 * Entra's GET /groups/{id}/owners answers), the catalog's cloud-account owners, the notifications it sends
 * captured, and a request helper that keeps every response for the openapi.yaml check.
 */
export async function startGovernanceBackend(options: {
  knex: Knex;
  governance: object;
  decideFirst?: (permission: Permission, claims: string[]) => unknown;
}) {
  const world = await startEmulatorWorld();
  const { groups, users } = world.emulators.scenario.entra;
  const sent: NotificationSendOptions[] = [];
  const backend = await startAccessBackend(world.emulators, {
    configOverrides: { governance: options.governance },
    extraEntities: cloudAccountEntities(world.emulators),
    decideFirst: options.decideFirst,
    extraFeatures: [
      mockServices.database.factory({ knex: options.knex }),
      createServiceFactory({
        service: accessSourcesServiceRef,
        deps: {},
        factory: () => ({
          ...world.sources,
          groupOwners: {
            readGroupOwners: async (_ctx, groupId) =>
              (groups.find(g => g.id === groupId)?.owners ?? []).map(upn => ({
                id: users.find(u => u.upn === upn)!.id,
              })),
          },
        }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: NotificationSendOptions) => {
            sent.push(notification);
          },
        }),
      }),
    ],
  });
  // The worker's view of the same database: tests move requests as the worker would.
  const store = await RequestStore.create({
    database: mockServices.database({
      knex: options.knex,
      migrations: { skip: true },
    }),
  });

  const responses: Array<{
    method: string;
    url: string;
    status: number;
    type?: string;
    body: unknown;
  }> = [];
  const call = (method: 'get' | 'post', url: string, who: string) => {
    const test = request(backend.server)
      [method](`/api/aws-access${url}`)
      .set('Authorization', mockCredentials.user.header(who));
    test.on('response', (res: any) =>
      responses.push({
        method: method.toUpperCase(),
        url,
        status: res.status,
        type: res.headers['content-type'],
        body: res.body,
      }),
    );
    return test;
  };
  const get = (url: string, who: string) => call('get', url, who);
  const post = (url: string, who: string, body: object = {}) =>
    call('post', url, who).send(body);

  for (let i = 0; i < 200; i++) {
    const status = await get('/sync/status', user('aamir'));
    if (status.body.snapshotVersion) break;
    await new Promise(r => setTimeout(r, 100));
  }

  return {
    world,
    backend,
    store,
    sent,
    get,
    post,
    submit: (who: string, body: object) => post('/requests', who, body),
    act: (id: string, action: string, who: string, note?: string) =>
      post(`/requests/${id}/${action}`, who, note ? { note } : {}),
    /** Every response so far that openapi.yaml does not document. */
    openApiProblems: () =>
      responses.flatMap(r =>
        openApiProblems(r.method, r.url, r.status, r.type, r.body),
      ),
    async stop() {
      await backend.stop();
      await world.emulators.close();
    },
  };
}
