/*
 * What each step of the catalog projection costs at a generated organisation's size (issue 18): the backend's
 * JSON text of the projection, the module's parse of it, buildProjectionIndex, the relation signatures'
 * comparison (changedKeys) and planMutation, each timed at once (the longest synchronous piece) and, where
 * sliced, its longest slice.
 *
 * Run from this package: node --require @backstage/cli/config/nodeTransform.cjs scripts/projection-steps.ts
 * [large|envelope]. The projection is built straight from the scenario (not read through the emulators): the
 * same records in the same shape as GET /catalog/projection serves, which is what every step here sees.
 */
import { SCENARIO_SIZES, generateScenario } from '@aws-access/emulators';
import type {
  CatalogProjection,
  ProjectedAssignment,
} from '@aws-access/plugin-aws-access-common';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { DefaultAwsAccessService } from '@aws-access/plugin-aws-access-node';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import {
  EventLoopSlices,
  SLICE_MS,
  runAtOnce,
} from '@aws-access/plugin-aws-access-node/alpha';
import { changedKeys } from '../src/provider/AwsAccessEntityProvider';
import { buildProjectionIndex } from '../src/provider/projection';
import { compareCodeUnits, sortInSlices } from '../src/provider/sortInSlices';
import type { EmittedState } from '../src/provider/planMutation';
import { planMutationSliced } from '../src/provider/planMutation';

const size = (process.argv[2] ?? 'large') as keyof typeof SCENARIO_SIZES;

function projectionOf(
  scenario: ReturnType<typeof generateScenario>,
): CatalogProjection {
  const ic = scenario.identityCenter;
  const entra = scenario.entra!;
  const userIdByUpn = new Map(
    entra.users.map((u, i) => [u.upn, u.id ?? `u-${i}`]),
  );
  const groupIdByName = new Map(
    entra.groups.map((g, i) => [g.name, g.id ?? `g-${i}`]),
  );
  const psArn = (name: string) => `${ic.instanceArn}/ps-${name}`;
  const assignments: ProjectedAssignment[] = [];
  for (const a of ic.assignments) {
    const accounts =
      a.accounts === '*' ? ic.accounts.map(x => x.id) : a.accounts;
    let entraId: string | undefined;
    if (a.group) entraId = groupIdByName.get(a.group);
    else if (a.user) entraId = userIdByUpn.get(a.user);
    for (const accountId of accounts) {
      assignments.push({
        accountId,
        permissionSetArn: psArn(a.permissionSet),
        principal: {
          type: a.user || a.idcUser ? 'USER' : 'GROUP',
          identityCenterId: `idc-${
            a.group ?? a.user ?? a.idcGroup ?? a.idcUser
          }`,
          entraId,
          displayName: a.group ?? a.user ?? a.idcGroup ?? a.idcUser ?? '',
        },
      });
    }
  }
  return {
    snapshotVersion: 7,
    syncedAt: new Date().toISOString(),
    instanceArn: ic.instanceArn,
    organizationId: ic.organization.id,
    tenantId: entra.tenantId,
    accounts: ic.accounts.map(a => ({
      id: a.id,
      name: a.name,
      email: a.email,
      arn: `arn:aws:organizations::${ic.organization.managementAccountId}:account/${ic.organization.id}/${a.id}`,
      status: a.status ?? 'ACTIVE',
      ouPath: a.ou ?? 'Root',
      tags: a.tags ?? {},
    })),
    permissionSets: ic.permissionSets.map(ps => ({
      name: ps.name,
      arn: psArn(ps.name),
      sessionDuration: ps.sessionDuration ?? 'PT1H',
      description: ps.description,
      managedPolicies: (ps.managedPolicies ?? []).map(arn => ({
        name: arn.split('/').pop()!,
        arn,
      })),
      // The reader's default path, as the backend serves it (a scenario may leave it out).
      customerManagedPolicies: (ps.customerManagedPolicies ?? []).map(p => ({
        name: p.name,
        path: p.path ?? '/',
      })),
      tags: ps.tags ?? {},
      provisionedAccountIds: [],
    })),
    entraGroups: entra.groups
      .filter(g => g.assignedToAwsApp)
      .map(g => ({
        id: groupIdByName.get(g.name)!,
        displayName: g.name,
        description: g.description,
        mailNickname: g.mailNickname,
        securityEnabled: g.securityEnabled ?? true,
        assignedToApp: true,
        memberUserIds: (g.members ?? []).flatMap(m =>
          userIdByUpn.has(m) ? [userIdByUpn.get(m)!] : [],
        ),
        memberGroupIds: (g.members ?? []).flatMap(m =>
          groupIdByName.has(m) ? [groupIdByName.get(m)!] : [],
        ),
      })),
    entraUsers: entra.users.map(u => ({
      id: userIdByUpn.get(u.upn)!,
      displayName: u.displayName,
      userPrincipalName: u.upn,
      mail: u.mail,
      accountEnabled: u.enabled ?? true,
      jobTitle: u.jobTitle,
      department: u.department,
    })),
    assignments,
  };
}

/**
 * Runs a step, printing its wall and CPU time and its longest block: the longest the event loop went without
 * a turn (a 1 ms timer that notes each gap), with the process's CPU time in that gap (on a loaded machine the
 * wall time of a block is mostly the wait for a CPU).
 */
async function time<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = { ms: 0, cpuMs: 0 };
  let running = true;
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (now - last > longest.ms) {
      longest = { ms: now - last, cpuMs: (cpu.user + cpu.system) / 1000 };
    }
    last = now;
    lastCpu = process.cpuUsage();
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await new Promise(resolve => setTimeout(resolve, 5));
  running = false;
  console.log(
    `${what.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms wall ${(
      (used.user + used.system) /
      1000
    )
      .toFixed(0)
      .padStart(5)} ms CPU; longest block ${longest.ms
      .toFixed(0)
      .padStart(5)} ms (${longest.cpuMs.toFixed(0)} ms CPU)`,
  );
  return result;
}

/**
 * Slices that also note the longest step: the time between two checks of {@link EventLoopSlices.due}, which the
 * work can never be cut shorter than, whatever the slice length (on a loaded machine, also the timer's longest
 * block is mostly someone else's CPU time or a garbage collection).
 */
class StepTimedSlices extends EventLoopSlices {
  longestStepMs = 0;
  longestStepAt?: string;
  #last = performance.now();

  due(): boolean {
    const now = performance.now();
    if (now - this.#last > this.longestStepMs) {
      this.longestStepMs = now - this.#last;
      if (process.env.STEP_STACKS) this.longestStepAt = new Error().stack;
    }
    this.#last = now;
    return super.due();
  }

  async turn(): Promise<void> {
    await super.turn();
    this.#last = performance.now();
  }

  async run<T>(work: Sliced<T>): Promise<T> {
    this.#last = performance.now();
    const result = await super.run(work);
    this.due(); // the last step, up to the result
    return result;
  }
}

const stepped = (slices: StepTimedSlices) =>
  console.log(
    `  longest step ${slices.longestStepMs.toFixed(1)} ms, ${
      slices.turns
    } turns${slices.longestStepAt ? `\n${slices.longestStepAt}` : ''}`,
  );

/** The longest step of sliced work run at once: what no slice length can cut shorter. */
function longestStepOf<T>(work: Sliced<T>): number {
  let longest = 0;
  for (;;) {
    const start = performance.now();
    const step = work.next();
    longest = Math.max(longest, performance.now() - start);
    if (step.done) return longest;
  }
}

/** The best of five runs: on a loaded machine the others measure its load and garbage collections. */
function bestOf(measure: () => number): number {
  return Math.min(...Array.from({ length: 5 }, measure));
}

const msOf = (work: () => unknown) => () => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

/**
 * The two sorts that ran in one piece until issue 18's last change, alone: in one piece as they were, and the
 * longest step of {@link sortInSlices}, which replaced them.
 */
function sortsAlone(users: Array<{ id: string }>, keys: string[]) {
  const byId = (a: { id: string }, b: { id: string }) =>
    a.id.localeCompare(b.id);
  for (const [what, onePiece, sliced] of [
    [
      `${users.length} users by id (allocateNames)`,
      msOf(() => [...users].sort(byId)),
      () => longestStepOf(sortInSlices(users, byId)),
    ],
    [
      `${keys.length} refresh keys (changedKeys)`,
      msOf(() => [...keys].sort()),
      () => longestStepOf(sortInSlices(keys, compareCodeUnits)),
    ],
  ] as const) {
    console.log(
      `  sort of ${what}: one piece ${bestOf(onePiece).toFixed(
        1,
      )} ms; sliced, longest step ${bestOf(sliced).toFixed(1)} ms`,
    );
  }
}

const options = (mode: 'link' | 'emit') => ({
  providerId: 'default',
  mode,
  ownerTag: 'owner',
  defaultOwner: 'group:default/platform',
  relations: 'all' as const,
  linkAccountsFromUpstream: false,
});

async function main() {
  const projection = projectionOf(generateScenario(SCENARIO_SIZES[size]));
  console.log(
    `${size}: ${projection.accounts.length} accounts, ${
      projection.permissionSets.length
    } permission sets, ${
      projection.entraGroups.length
    } groups (${projection.entraGroups.reduce(
      (n, g) => n + g.memberUserIds.length,
      0,
    )} memberships), ${projection.entraUsers.length} users, ${
      projection.assignments.length
    } assignments`,
  );
  const text = await time('JSON.stringify (res.json)', () =>
    JSON.stringify(projection),
  );
  console.log(`  ${(text.length / 1e6).toFixed(1)} MB of text`);
  const parsed = await time('JSON.parse (response.json)', () =>
    JSON.parse(text),
  );
  // The module's own client, given the text as the backend's response: its parse in slices.
  const bytes = new TextEncoder().encode(text);
  const client = DefaultAwsAccessService.create({
    auth: {
      getOwnServiceCredentials: async () => ({}),
      getPluginRequestToken: async () => ({ token: 'token' }),
    } as unknown as AuthService,
    discovery: {
      getBaseUrl: async () => 'http://backstage.test/api/aws-access',
    } as unknown as DiscoveryService,
    // The body in 64 KB chunks, as a socket delivers it.
    fetch: (async () => {
      let at = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (at >= bytes.length) controller.close();
            else controller.enqueue(bytes.subarray(at, (at += 65_536)));
          },
        }),
      );
    }) as typeof fetch,
  });
  await time('getCatalogProjection (sliced parse)', () =>
    client.getCatalogProjection(),
  );
  const modes = process.argv[3]
    ? [process.argv[3] as 'link' | 'emit']
    : (['link', 'emit'] as const);
  for (const mode of modes) {
    for (const sliced of [false, true]) {
      const how = `${mode}, ${sliced ? 'sliced' : 'at once'}`;
      const slices = new StepTimedSlices(sliced ? SLICE_MS : Infinity);
      const index = await time(`buildProjectionIndex (${how})`, () =>
        buildProjectionIndex(parsed, options(mode), slices),
      );
      if (sliced) stepped(slices);
      else sortsAlone(parsed.entraUsers, [...index.relationSignatures.keys()]);
      // The first refresh after a start announces every relation signature: the most refresh keys to sort.
      const keys = () => changedKeys(new Map(), index.relationSignatures);
      const keySlices = new StepTimedSlices();
      await time(`changedKeys, all new (${how})`, () =>
        sliced ? keySlices.run(keys()) : runAtOnce(keys()),
      );
      if (sliced) stepped(keySlices);
      const plan = (previous?: EmittedState) => {
        const work = planMutationSliced({
          previous,
          entities: index.entities,
          locationKey: 'aws-access-provider:default',
          records: index.entities.length,
          skipped: index.skipped,
        });
        return sliced ? new EventLoopSlices().run(work) : runAtOnce(work);
      };
      const first = await time(`planMutation, first (${how})`, () => plan());
      await time(`planMutation, again (${how})`, () =>
        plan(first.type === 'refused' ? undefined : first.state),
      );
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
