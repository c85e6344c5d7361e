import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AccessIndex } from '../../snapshot/AccessIndex';
import {
  MINI_NOW,
  miniSnapshot,
} from '../../snapshot/__fixtures__/miniSnapshot';
import type { MembershipRef, MembershipWriter } from '../../sources/ports';
import { SourceError } from '../../sources/requests/SourceError';
import type { NewRequest, StoredRequest } from '../RequestStore';
import { RequestStore } from '../RequestStore';
import type {
  RequestWorkerOptions,
  WorkerNotifications,
} from '../RequestWorker';
import { RequestWorker } from '../RequestWorker';

/** Maria (in sync in the mini snapshot) and the ReadOnly group she is not in: what the fakes' requests ask for. */
export const MARIA = { ref: 'user:default/maria', userId: 'u-maria' };
export const READ_ONLY = {
  entityRef: 'group:default/aws-developers-readonly',
  name: 'AWS-Developers-ReadOnly',
  id: 'g-ro',
};

/** The worker's queries (due expiries, oldest first, compare-and-set) run on both databases. */
export const workerDatabases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

/**
 * The clouds as the worker sees them through its ports, kept small: Entra's direct memberships (plain or PIM
 * with an expiry, on the test clock), what AWS has (changed only by provisioning a membership), and a snapshot
 * that shows both only after a refresh, as the real targeted refresh does.
 */
export class FakeClouds {
  readonly entra = new Map<string, Map<string, number | undefined>>();
  readonly aws = new Map<string, Set<string>>();
  readonly writes: string[] = [];
  readonly provisioned: string[] = [];
  failNextWrite?: string;
  provisioningWorks = true;
  #index: AccessIndex;
  #version = 1;

  constructor(readonly clock: { now: Date }) {
    const snapshot = miniSnapshot();
    for (const group of snapshot.identity.groups)
      this.entra.set(
        group.id,
        new Map(group.memberUserIds.map(id => [id, undefined])),
      );
    for (const group of snapshot.aws.groups)
      this.aws.set(group.id, new Set(group.memberUserIds));
    this.#index = this.#build();
  }

  /** Entra's members of a group now (PIM assignments end at their expiry on Entra's own). */
  members(groupId: string): string[] {
    const now = this.clock.now.getTime();
    return [...(this.entra.get(groupId) ?? new Map()).entries()]
      .filter(([, until]) => until === undefined || until > now)
      .map(([id]) => id);
  }

  writer(mode: MembershipWriter['mode']): MembershipWriter {
    const write = (what: string) => {
      this.writes.push(what);
      if (this.failNextWrite) {
        const message = this.failNextWrite;
        this.failNextWrite = undefined;
        throw new SourceError({
          source: 'graph',
          errorClass: 'Authorization_RequestDenied',
          message,
        });
      }
    };
    return {
      mode,
      addMember: async (_ctx, m: MembershipRef & { expiresAt?: Date }) => {
        write(`add ${m.userId} ${m.groupId} ${m.expiresAt?.toISOString()}`);
        const group = this.entra.get(m.groupId)!;
        if (!group.has(m.userId))
          group.set(
            m.userId,
            mode === 'pim' ? m.expiresAt?.getTime() : undefined,
          );
      },
      removeMember: async (_ctx, m: MembershipRef) => {
        write(`remove ${m.userId} ${m.groupId}`);
        this.entra.get(m.groupId)!.delete(m.userId);
      },
    };
  }

  readonly provisioning: RequestWorkerOptions['provisioning'] = {
    provisionMembership: async ({ person, groupId }) => {
      this.provisioned.push(`${person.key} ${groupId}`);
      if (!this.provisioningWorks)
        return {
          outcome: 'failure',
          message: 'EncounteredQuarantineException',
        };
      const idcGroup = `i${groupId}`;
      const idcUser = `i-${person.key.slice(2)}`;
      if (this.members(groupId).includes(person.key))
        this.aws.get(idcGroup)!.add(idcUser);
      else this.aws.get(idcGroup)!.delete(idcUser);
      this.#index = this.#build();
      return {
        outcome: 'success',
        message: 'exported',
        version: this.#version,
      };
    },
  };

  readonly snapshots = { tryCurrent: async () => this.#index };

  #build(): AccessIndex {
    // Both sides read whole, as a full sync would.
    const at = this.clock.now.toISOString();
    const snapshot = {
      ...miniSnapshot(),
      readAt: at,
      sidesReadAt: { identity: at, aws: at },
    };
    for (const group of snapshot.identity.groups)
      group.memberUserIds = this.members(group.id);
    for (const group of snapshot.aws.groups)
      group.memberUserIds = [...this.aws.get(group.id)!];
    this.#version++;
    return AccessIndex.build({ snapshot, version: this.#version });
  }
}

/** A worker over a real store and {@link FakeClouds}, with notifications and audit events recorded. */
export async function fakeRequestWorld(databaseId: TestDatabaseId) {
  const clock = { now: new Date(MINI_NOW) };
  const knex = await workerDatabases.init(databaseId);
  const store = await RequestStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    now: () => clock.now,
  });
  const clouds = new FakeClouds(clock);
  const notified: string[] = [];
  const notifier: WorkerNotifications = {
    usable: async r => {
      notified.push(`usable ${r.id}`);
    },
    expiresSoon: async r => {
      notified.push(`expiresSoon ${r.id}`);
    },
  };
  const audited: Array<{ from: unknown; to: unknown; outcome: string }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ meta }) => ({
      success: async () => {
        audited.push({ from: meta?.from, to: meta?.to, outcome: 'success' });
      },
      fail: async () => {
        audited.push({ from: meta?.from, to: meta?.to, outcome: 'fail' });
      },
    }),
  });
  const optionsFor = (
    mode: MembershipWriter['mode'],
  ): RequestWorkerOptions => ({
    store,
    writers: { [mode]: clouds.writer(mode) },
    provisioning: clouds.provisioning,
    snapshots: clouds.snapshots,
    notifier,
    auditor,
    logger: mockServices.logger.mock(),
    now: () => clock.now,
    recheckAfterMs: 15_000,
  });
  const workerFor = (mode: MembershipWriter['mode']) =>
    RequestWorker.create(optionsFor(mode));

  /** A request of Maria's for the ReadOnly group, approved by Sara. */
  async function approved(
    overrides: Partial<NewRequest> = {},
  ): Promise<StoredRequest> {
    const submitted = await store.insert({
      requester: MARIA.ref,
      requesterUserId: MARIA.userId,
      group: READ_ONLY,
      justification: 'INC-7',
      duration: 'PT1H',
      mode: 'membership',
      approvalsRequired: 1,
      approverGroups: [],
      ...overrides,
    });
    return store.transition(submitted.id, {
      from: ['submitted'],
      to: 'approved',
      by: 'user:default/sara',
      approval: { by: 'user:default/sara' },
    });
  }

  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };

  return {
    clock,
    advance,
    store,
    clouds,
    notified,
    audited,
    options: optionsFor('membership'),
    workerFor,
    approved,
  };
}
