import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { Emulators } from '@aws-access/emulators';
import {
  emulatorConfigData,
  eventually,
  startTestEmulators,
  SEED_SANDBOX_BASELINE,
} from '@aws-access/test-utils';
import awsAccessPlugin from '@aws-access/plugin-aws-access-backend';
import scaffolderModuleAwsAccess from '@aws-access/plugin-scaffolder-backend-module-aws-access';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionPolicyModule from '../modules/permissionPolicy';

/*
 * Issue 19 item 12: the scaffolder action's on-behalf path against the real pieces. The template's initiator
 * credentials travel through `awsAccessServiceRef` (an on-behalf-of token) to the real aws-access router, whose
 * checks go through the real permissions service to the permission backend running the demo's policy. The platform
 * lead applies a baseline (each AWS call audited with her as the actor); an engineer is refused and nothing is
 * written.
 */

jest.setTimeout(180_000);

const SARA = 'user:default/sara_example.com';
const AAMIR = 'user:default/aamir_example.com';
const SANDBOX = '200000000007';

const OWNERSHIP: Record<string, string[]> = {
  [SARA]: [SARA, 'group:default/platform-team'],
  [AAMIR]: [AAMIR, 'group:default/backend-team'],
};

type Action = {
  id: string;
  handler: (ctx: any) => Promise<void>;
};

describe('the apply-baseline action on behalf of the template user', () => {
  let emulators: Emulators;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const actions: Action[] = [];
  const audits: Array<{
    eventId: string;
    outcome: string;
    meta?: Record<string, unknown>;
  }> = [];

  beforeAll(async () => {
    emulators = await startTestEmulators();
    await emulators.control.updateSettings({ assignmentDelayMs: 20 });
    const userRefOf = (credentials: BackstageCredentials) =>
      (credentials.principal as { userEntityRef?: string }).userEntityRef;
    backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: Action[]) => actions.push(...added) },
        ],
      ],
      features: [
        awsAccessPlugin,
        scaffolderModuleAwsAccess,
        permissionPlugin,
        permissionPolicyModule,
        permissionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            ...emulatorConfigData(emulators, {
              baseline: SEED_SANDBOX_BASELINE,
              write: { pollInterval: { milliseconds: 20 } },
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 5 },
              },
            }),
          },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = userRefOf(credentials)!;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
            };
          },
        }).factory,
        mockServices.auditor.mock({
          createEvent: async options => {
            const record = (outcome: string) => async () => {
              audits.push({
                eventId: options.eventId,
                outcome,
                meta: options.meta,
              });
            };
            return { success: record('success'), fail: record('fail') };
          },
        }).factory,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await emulators?.close();
  });

  function applyAs(userRef: string) {
    const action = actions.find(
      a => a.id === 'aws-access:account:apply-baseline',
    )!;
    const ctx = createMockActionContext({
      input: {
        accountId: SANDBOX,
        mode: 'apply',
        removeForbidden: false,
        confirmRemoval: false,
      },
    });
    return action.handler({
      ...ctx,
      getInitiatorCredentials: async () => mockCredentials.user(userRef),
    });
  }

  const sandboxAssignments = async () =>
    (await emulators.control.getState()).identityCenter.assignments.filter(
      a => a.accountId === SANDBOX,
    ).length;

  let before: number;

  it('refuses an engineer with the real policy (403 naming the permission) and writes nothing', async () => {
    before = await sandboxAssignments();
    const refusal = await applyAs(AAMIR).then(
      () => undefined,
      error => error,
    );
    expect(refusal?.name).toBe('ResponseError');
    expect(refusal.response.status).toBe(403);
    // Planning needs read-all, which the demo policy gives the platform team only.
    expect(refusal.body.error.message).toContain('aws-access.all.read');
    expect(await sandboxAssignments()).toBe(before);
    expect(audits.map(a => a.eventId)).not.toContain(
      'account-assignment-create',
    );
  });

  it('applies as the platform lead through the same path, every AWS call audited as her', async () => {
    // The startup sync's snapshot must exist before a plan can be made.
    await eventually(() => applyAs(SARA));
    // The baseline's one missing assignment (AWS-Developers-ReadOnly → DeveloperReadOnly) now exists in AWS.
    expect(await sandboxAssignments()).toBe(before + 1);
    expect(audits).toContainEqual(
      expect.objectContaining({
        eventId: 'account-onboarding-apply',
        outcome: 'success',
      }),
    );
    expect(audits).toContainEqual(
      expect.objectContaining({
        eventId: 'account-assignment-create',
        outcome: 'success',
        meta: expect.objectContaining({ actor: SARA, accountId: SANDBOX }),
      }),
    );
  });
});
