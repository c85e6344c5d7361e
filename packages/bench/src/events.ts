/*
 * Change events (issue 20): a backend with `awsAccess.identityCenter.events` reading the emulated EventBridge's
 * queue. Changes are made through the emulator's real write paths (sso-admin with the AWS SDK, Entra + a SCIM cycle,
 * Organizations through the control API) and the product's API is polled until it shows each one. Then the AWS
 * calls of isolated changes, the idle consumer's calls, and a reconciliation after changes with 5 % of the events
 * lost.
 */
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import type {
  CounterSnapshot,
  EmulatorState,
  Emulators,
} from '@aws-access/emulators';
import { entraUserEntityRef } from '@aws-access/plugin-aws-access-common';
import { BackendProcess, backendConfig, sleep } from './backend';
import type { ChangeKind, LossPhaseChange } from './eventFigures';
import {
  CHANGE_KINDS,
  expectedMissed,
  summarizeLatencies,
} from './eventFigures';

export interface EventsPhaseOptions {
  emulators: Emulators;
  repoRoot: string;
  workDir: string;
  databasePrefix: string;
  port: number;
  /** Changes of each kind in the latency phase. */
  perKind: number;
  /** Changes in flight at once in the latency phase. */
  concurrency: number;
  /** Changes of each kind in the loss phase. */
  lossPerKind: number;
  lossRate: number;
  /** Isolated changes of each kind whose AWS calls are counted. */
  costPerKind: number;
  /** How long the idle consumer's calls are counted. */
  idleSeconds: number;
  log: (line: string) => void;
  note: (line: string) => void;
  /**
   * Called with the result so far after each phase: at the envelope the run takes hours, and a run stopped or failed
   * in its last phase keeps the phases it finished.
   */
  onPhase?: (result: Record<string, any>, phase: EventsPhase) => void;
}

/** The phases of the change-events run, in order. */
export type EventsPhase =
  | 'first full sync'
  | 'latency'
  | 'isolated changes and the idle consumer'
  | 'loss and reconciliation';

/** The operations the bench itself calls (its changes), left out of the product's counts. */
const BENCH_OPERATIONS: Record<string, string[]> = {
  'sso-admin': [
    'CreateAccountAssignment',
    'DeleteAccountAssignment',
    'UpdatePermissionSet',
  ],
  sqs: ['CreateQueue', 'GetQueueAttributes'],
};

/** The product's AWS calls in a counter snapshot: Identity Center + Organizations, and SQS apart. */
export function productCalls(counters: CounterSnapshot) {
  const of = (service: string) => {
    const ops = { ...((counters as any)[service] ?? {}) } as Record<
      string,
      number
    >;
    for (const op of BENCH_OPERATIONS[service] ?? []) delete ops[op];
    return ops;
  };
  const sum = (ops: Record<string, number>) =>
    Object.values(ops).reduce((a, b) => a + b, 0);
  const ssoAdmin = of('sso-admin');
  const identityStore = of('identitystore');
  const organizations = of('organizations');
  const sqs = of('sqs');
  return {
    identityCenter: sum(ssoAdmin) + sum(identityStore),
    organizations: sum(organizations),
    awsTotal: sum(ssoAdmin) + sum(identityStore) + sum(organizations),
    sqs: sum(sqs),
    byOperation: {
      'sso-admin': ssoAdmin,
      identitystore: identityStore,
      organizations,
      sqs,
    },
  };
}

/** The events whose loss loses a change (CreateAccount names no account yet: its CreateAccountResult does). */
const TARGET_EVENTS = new Set([
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
  'UpdatePermissionSet',
  'PatchGroup',
  'CreateAccountResult',
  'MoveAccount',
]);

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise(resolve => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** One change: what it does to AWS, the target its events name, and how the API shows it. */
interface Change {
  kind: ChangeKind;
  target: string;
  per: 'target' | 'item';
  /** For `per: 'item'`: the assignment or membership (an addition and its removal, both lost, cancel out). */
  item?: string;
  /**
   * Makes the change. The clock starts when it is called, or at the moment it answers: when AWS changed, for a
   * change that first waits for its turn (a SCIM cycle, one at a time, carries exactly one change).
   */
  apply: () => Promise<number | void>;
  visible: () => Promise<boolean>;
  /** Changes that must finish first (a removal after its addition was seen). */
  lock?: Mutex;
}

/** A job: changes made one after another (create then delete, add then remove, create then move). */
type Job = Change[];

export async function measureChangeEvents(options: EventsPhaseOptions) {
  const { emulators, log, note } = options;
  const control = emulators.control;
  const { scenario } = emulators;
  const aws = async (target: string, input: object) => {
    const response = await fetch(emulators.awsEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${target}`,
      },
      body: JSON.stringify(input),
    });
    const output = await response.json();
    if (!response.ok)
      throw new Error(`SQS ${target} failed: ${JSON.stringify(output)}`);
    return output;
  };
  // The queue as the CloudFormation template makes it (./run start's): a dead-letter queue after 5 receives.
  const queueName = 'aws-access-events';
  const dlq = await aws('CreateQueue', { QueueName: `${queueName}-dlq` });
  const { Attributes: dlqAttributes } = await aws('GetQueueAttributes', {
    QueueUrl: dlq.QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  const queue = await aws('CreateQueue', {
    QueueName: queueName,
    Attributes: {
      VisibilityTimeout: '120',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqAttributes.QueueArn,
        maxReceiveCount: 5,
      }),
    },
  });
  const settings = await control.updateSettings({
    eventQueue: queueName,
    eventLossRate: 0,
    eventDuplicateRate: 0,
  });
  const queueDepth = async () => {
    const { Attributes } = await aws('GetQueueAttributes', {
      QueueUrl: queue.QueueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    });
    return Object.values(Attributes as Record<string, string>).reduce(
      (a, v) => a + Number(v),
      0,
    );
  };

  const base = backendConfig({
    emulators,
    port: options.port,
    databasePrefix: options.databasePrefix,
    identityCenterRequestsPerSecond: 10_000,
    msgraph: false,
  });
  const config = {
    ...base,
    backend: {
      ...base.backend,
      // The product's own log at info (each batch's reads, derivation and commit: where a slow change spent its
      // time), everything else at warn: the harness polls the API several times a second, and logging each request
      // and each audited read took a tenth of the backend's CPU from the work it measures.
      logger: {
        overrides: [
          {
            matchers: { plugin: 'aws-access', isAuditEvent: true },
            level: 'warn',
          },
          { matchers: { plugin: 'aws-access' }, level: 'info' },
        ],
      },
    },
    awsAccess: {
      ...base.awsAccess,
      identityCenter: {
        ...base.awsAccess.identityCenter,
        events: {
          queueUrl: queue.QueueUrl,
          deadLetterQueueUrl: dlq.QueueUrl,
        },
        // A reconciliation compares definitions and tags when it reads them again (older than detailsRefresh,
        // 6 h by default: every 24-hourly reconciliation does). The bench's comes minutes after the first sync.
        detailsRefresh: { minutes: 1 },
      },
    },
  };
  const backend = BackendProcess.start({
    repoRoot: options.repoRoot,
    workDir: options.workDir,
    name: 'backend-events',
    port: options.port,
    config,
    env: {
      IDENTITY_ENDPOINT: emulators.managedIdentityEndpoint,
      IDENTITY_HEADER: 'emulator',
    },
  });
  const result: Record<string, any> = {
    emulatorDelivery: {
      eventDelaySeconds: settings.eventDelaySeconds,
      eventReorderSeconds: settings.eventReorderSeconds,
    },
    consumer: {
      waitTimeSeconds: 20,
      batchWindowSeconds: 2,
      identityCenterRequestsPerSecond: 10_000,
      detailsRefreshMinutes: 1,
    },
  };
  const ssoAdmin = new SSOAdminClient({
    region: scenario.identityCenter.region,
    endpoint: emulators.awsEndpoint,
    credentials: { accessKeyId: 'AKIABENCHEVENTS', secretAccessKey: 'x' },
  });
  try {
    const upMs = await backend.waitUntilUp(180_000);
    log(
      `events backend pid ${backend.pid} up in ${(upMs / 1000).toFixed(
        1,
      )} s (log ${backend.logFile})`,
    );

    // The first snapshot: the consumer waits for one.
    const baseline = await fullSync(backend, 'events: first full sync');
    result.baselineSync = baseline;
    log(`events: first full sync ${(baseline.durationMs / 1000).toFixed(1)} s`);
    await waitForQuietQueue(queueDepth, 120_000);
    // The scenario's own pending provisioning (a generated tenant has some) goes first, delivered in full. At the
    // envelope it is thousands of SCIM writes: the consumer's drain of that burst is a figure, not a failure.
    const beforeCycle = await control.getEvents();
    const cycleStarted = Date.now();
    await control.runScimCycle();
    const afterCycle = await control.getEvents();
    await waitForQuietQueue(queueDepth, 1_800_000);
    const drained = await backend.json('/api/aws-access/sync/status');
    result.initialCycle = {
      events: afterCycle.recorded - beforeCycle.recorded,
      drainMs: Date.now() - cycleStarted,
      handled: drained.changeEvents?.handled,
      lastBatch: drained.changeEvents?.lastBatch,
    };
    log(
      `events: the scenario's pending SCIM cycle, ${
        result.initialCycle.events
      } events, drained in ${(result.initialCycle.drainMs / 1000).toFixed(
        1,
      )} s`,
    );
    options.onPhase?.(result, 'first full sync');

    const state = await control.getState();
    const world = worldFor(state, scenario, options, backend, ssoAdmin);

    // 1. Latency: jobs of every kind, `concurrency` in flight
    if (options.perKind > 0) {
      const latencyJobs = world.latencyJobs(options.perKind);
      const before = await control.resetCounters().then(() => Date.now());
      const latency = await runJobs(latencyJobs, options.concurrency, log);
      const latencyCounters = await control.getCounters();
      result.latency = {
        perKind: Object.fromEntries(
          CHANGE_KINDS.map(kind => [
            kind,
            summarizeLatencies(
              latency.samples.filter(s => s.kind === kind).map(s => s.ms),
            ),
          ]),
        ),
        all: summarizeLatencies(latency.samples.map(s => s.ms)),
        timedOut: latency.timedOut,
        concurrency: options.concurrency,
        wallMs: Date.now() - before,
        calls: productCalls(latencyCounters),
        changes: latency.samples.length + latency.timedOut.length,
      };
      const status = await backend.json('/api/aws-access/sync/status');
      result.latency.consumer = status.changeEvents;
      log(
        `events latency: ${latency.samples.length} changes seen, p50 ${result.latency.all.p50Ms} ms, p95 ${result.latency.all.p95Ms} ms, ${latency.timedOut.length} not seen in time; ${result.latency.calls.awsTotal} AWS calls`,
      );
      for (const t of latency.timedOut.slice(0, 10))
        note(
          `Change events: a ${t.kind} change was not seen within 180 s (${t.target}).`,
        );
      options.onPhase?.(result, 'latency');
    }

    // 2. The AWS calls of isolated changes (one at a time), and of the idle consumer
    if (options.costPerKind > 0) {
      await waitForQuietQueue(queueDepth, 120_000);
      const cost: Record<string, any> = {};
      for (const job of world.latencyJobs(options.costPerKind))
        for (const change of job) {
          await waitForQuietQueue(queueDepth, 120_000);
          await control.resetCounters();
          const sample = await timeChange(change);
          await waitForQuietQueue(queueDepth, 120_000);
          const calls = productCalls(await control.getCounters());
          const entry = (cost[change.kind] ??= {
            changes: 0,
            calls: 0,
            identityCenter: 0,
            organizations: 0,
            latenciesMs: [] as number[],
          });
          entry.changes++;
          entry.calls += calls.awsTotal;
          entry.identityCenter += calls.identityCenter;
          entry.organizations += calls.organizations;
          if (sample.ms !== undefined) entry.latenciesMs.push(sample.ms);
        }
      for (const entry of Object.values(cost))
        entry.callsPerChange = entry.calls / entry.changes;
      const costAll = Object.values(cost);
      result.isolated = {
        perKind: cost,
        callsPerChange:
          costAll.reduce((a, e) => a + e.calls, 0) /
          Math.max(
            1,
            costAll.reduce((a, e) => a + e.changes, 0),
          ),
      };
      log(
        `events cost: ${CHANGE_KINDS.map(
          k => `${k} ${cost[k]?.callsPerChange?.toFixed(1)}`,
        ).join(', ')} AWS calls per isolated change`,
      );
      await control.resetCounters();
      const idleStart = Date.now();
      await sleep(options.idleSeconds * 1000);
      const idle = productCalls(await control.getCounters());
      const idleHours = (Date.now() - idleStart) / 3_600_000;
      result.idle = {
        seconds: options.idleSeconds,
        awsPerHour: idle.awsTotal / idleHours,
        sqsPerHour: idle.sqs / idleHours,
        sqsByOperation: idle.byOperation.sqs,
      };
      log(
        `events idle: ${idle.awsTotal} AWS and ${idle.sqs} SQS calls in ${options.idleSeconds} s`,
      );
      options.onPhase?.(result, 'isolated changes and the idle consumer');
    }

    // 3. Loss: changes with `lossRate` of the events lost, then a reconciliation (none with 0 per kind)
    if (options.lossPerKind > 0) {
      await control.updateSettings({ eventLossRate: options.lossRate });
      const lossChanges: LossPhaseChange[] = [];
      const lostNames: string[] = [];
      const lossJobs = world.latencyJobs(options.lossPerKind);
      const lossOrder = interleave(lossJobs);
      for (const [index, change] of lossOrder.entries()) {
        const stats = await control.getEvents();
        await change.apply();
        const after = await control.getEvents();
        const lostNow = after.lostEvents.slice(stats.lostEvents.length);
        lostNames.push(...lostNow.map(e => e.eventName));
        const lost = lostNow.some(e => TARGET_EVENTS.has(e.eventName));
        lossChanges.push({
          kind: change.kind,
          target: change.target,
          per: change.per,
          item: change.item,
          lost,
        });
        // A delivered event makes the consumer read its target again: when a later change touches the same target,
        // let that read happen first, so it cannot see (and repair) a later change whose event was lost.
        const sharedLater =
          change.kind === 'account-created' ||
          lossOrder.slice(index + 1).some(c => c.target === change.target);
        if (!lost && sharedLater) await waitForQuietQueue(queueDepth, 120_000);
      }
      await control.updateSettings({ eventLossRate: 0 });
      await waitForQuietQueue(queueDepth, 300_000);
      // The consumer commits before it deletes: a quiet queue means every delivered event is in the snapshot.
      await sleep(3000);
      const delivery = await control.getEvents();
      const expected = expectedMissed(lossChanges);
      await control.resetCounters();
      const reconcile = await fullSync(backend, 'events: reconciliation');
      const reconcileCalls = productCalls(await control.getCounters());
      // The run is recorded before its comparison with what the events kept: wait for the comparison of this run.
      let reported: any;
      for (let i = 0; i < 240 && reported?.runId !== reconcile.id; i++) {
        if (i > 0) await sleep(500);
        const afterReconcile = await backend.json(
          '/api/aws-access/sync/status',
        );
        reported = afterReconcile.changeEvents?.lastReconcile;
      }
      if (reported?.runId !== reconcile.id) reported = undefined;
      const reportedByKind: Record<string, number> = {};
      for (const d of reported?.differences ?? [])
        reportedByKind[`${d.kind} ${d.change}`] =
          (reportedByKind[`${d.kind} ${d.change}`] ?? 0) + 1;
      result.loss = {
        lossRate: options.lossRate,
        changes: lossChanges.length,
        events: {
          recorded: delivery.recorded,
          delivered: delivery.delivered,
          lost: delivery.lost,
          lostByName: countBy(lostNames),
        },
        lostChanges: lossChanges.filter(c => c.lost).length,
        expectedMissed: expected,
        reported: reported && {
          missed: reported.missed,
          byKind: reportedByKind,
          differences: reported.differences,
          runId: reported.runId,
        },
        reconcile: { ...reconcile, calls: reconcileCalls },
        equal: reported?.missed === expected.total,
      };
      log(
        `events loss: ${delivery.lost} of ${delivery.recorded} events lost (${
          lossChanges.filter(c => c.lost).length
        } changes), expected ${
          expected.total
        } missed, the reconciliation reported ${reported?.missed}`,
      );
      // Every lost change is repaired: the API shows each change after the reconciliation.
      let shown = 0;
      const notShown: Array<{ kind: ChangeKind; target: string }> = [];
      // A permission set changed again by a later job shows that job's description, not this one's.
      const finalJobs = lossJobs.filter(
        (job, i) =>
          !lossJobs
            .slice(i + 1)
            .some(
              later =>
                later[later.length - 1].per === 'target' &&
                later[later.length - 1].target === job[job.length - 1].target,
            ),
      );
      for (const job of finalJobs) {
        const last = job[job.length - 1];
        // The reconciliation's snapshot is served a moment after its run is recorded: give each a minute.
        if (await eventually(last.visible, 60_000)) shown++;
        else notShown.push({ kind: last.kind, target: last.target });
      }
      result.loss.finalStateShown = { jobs: finalJobs.length, shown, notShown };
      result.loss.lost = lossChanges.filter(c => c.lost);
    }
  } finally {
    ssoAdmin.destroy();
    await backend.stop();
    await control.updateSettings({ eventLossRate: 0 });
  }
  return result;
}

function countBy(values: string[]) {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Triggers a full sync and waits for it: the first full run the status lists that was not there before. */
async function fullSync(backend: BackendProcess, label: string) {
  const before = await backend.jsonPatiently('/api/aws-access/sync/status');
  const known = new Set<string>(before.recentRuns.map((r: any) => r.id));
  // 409 while another sync runs (the consumer's first full sync starts with the backend): wait it out, which at
  // `envelope` takes minutes.
  const started = Date.now();
  for (;;) {
    try {
      await backend.json('/api/aws-access/sync', { method: 'POST' });
      break;
    } catch (error) {
      if (Date.now() - started > 2 * 3600_000 || !/409/.test(String(error)))
        throw error;
      await sleep(2000);
    }
  }
  for (;;) {
    const status = await backend.jsonPatiently('/api/aws-access/sync/status');
    const run = status.recentRuns.find(
      (r: any) =>
        !known.has(r.id) && r.trigger !== 'targeted' && r.outcome !== 'running',
    );
    if (run) {
      if (run.outcome !== 'succeeded')
        throw new Error(
          `${label} ended ${run.outcome}: ${JSON.stringify(run.error)}`,
        );
      return {
        id: run.id as string,
        durationMs: run.durationMs as number,
        counts: run.counts,
      };
    }
    await sleep(500);
  }
}

async function waitForQuietQueue(
  depth: () => Promise<number>,
  timeoutMs: number,
) {
  const started = Date.now();
  let quietSince: number | undefined;
  for (;;) {
    const n = await depth();
    if (n === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= 1500) return;
    } else quietSince = undefined;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `the events queue still held ${n} messages after ${timeoutMs / 1000} s`,
      );
    await sleep(250);
  }
}

const SEEN_TIMEOUT_MS = 180_000;

async function eventually(check: () => Promise<boolean>, timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() - started > timeoutMs) return false;
    await sleep(500);
  }
}

async function timeChange(change: Change): Promise<{ ms?: number }> {
  const requested = Date.now();
  const started = (await change.apply()) ?? requested;
  for (;;) {
    if (await change.visible().catch(() => false))
      return { ms: Date.now() - started };
    if (Date.now() - started > SEEN_TIMEOUT_MS) return {};
    await sleep(250);
  }
}

async function runJobs(
  jobs: Job[],
  concurrency: number,
  log: (l: string) => void,
) {
  const samples: Array<{ kind: ChangeKind; ms: number }> = [];
  const timedOut: Array<{ kind: ChangeKind; target: string }> = [];
  let next = 0;
  let lastLog = Date.now();
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      for (const change of job) {
        const run = () => timeChange(change);
        const { ms } = await (change.lock ? change.lock.run(run) : run());
        if (ms === undefined) {
          timedOut.push({ kind: change.kind, target: change.target });
          break;
        }
        samples.push({ kind: change.kind, ms });
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(
          `events latency: ${samples.length} changes seen, job ${next}/${jobs.length}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, timedOut };
}

/** The jobs' changes in round-robin order (one of each kind in turn), for the loss phase. */
function interleave<T extends Change>(jobs: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...jobs.map(j => j.length));
  for (let step = 0; step < longest; step++)
    for (const job of jobs) if (job[step]) out.push(job[step]);
  return out;
}

type LossChange = Change;

/** The emulated world's principals, accounts and permission sets, and the jobs made of them. */
function worldFor(
  state: EmulatorState,
  scenario: Emulators['scenario'],
  options: EventsPhaseOptions,
  backend: BackendProcess,
  ssoAdmin: SSOAdminClient,
) {
  const control = options.emulators.control;
  const instanceArn = scenario.identityCenter.instanceArn;
  const scim = new Mutex();
  const permissionSetLocks = new Map<string, Mutex>();
  const lockFor = (arn: string) => {
    if (!permissionSetLocks.has(arn)) permissionSetLocks.set(arn, new Mutex());
    return permissionSetLocks.get(arn)!;
  };
  const idc = state.identityCenter;
  const permissionSets = idc.permissionSets;
  const accounts = state.organization.accounts.filter(
    a => a.status === 'ACTIVE',
  );
  const groups = idc.groups.filter(g => !g.unmanaged);
  const assigned = new Set(
    idc.assignments.map(a => `${a.accountId}|${a.permissionSet}`),
  );
  const usedPairs = new Set<string>();
  let pairRound = 0;
  /**
   * Account × permission set pairs nobody is assigned on, each once per round; each round gives a pair to another
   * group, so every change owns its (pair, group) assignment.
   */
  function* freePairs() {
    for (;;) {
      let found = false;
      for (let i = 0; i < accounts.length * permissionSets.length; i++) {
        const account = accounts[(i * 7) % accounts.length];
        const ps =
          permissionSets[
            Math.floor(i / accounts.length) % permissionSets.length
          ];
        const key = `${account.id}|${ps.name}|${pairRound}`;
        if (assigned.has(`${account.id}|${ps.name}`) || usedPairs.has(key))
          continue;
        usedPairs.add(key);
        found = true;
        yield {
          accountId: account.id,
          permissionSet: ps,
          group: groups[(i + pairRound) % groups.length],
        };
      }
      if (!found || ++pairRound >= groups.length) return;
    }
  }
  const pairs = freePairs();

  const accountJson = async (id: string) => {
    try {
      return await backend.json(`/api/aws-access/accounts/${id}`);
    } catch (error) {
      if (/ 404 /.test(String(error))) return undefined;
      throw error;
    }
  };
  const hasAssignment = async (
    accountId: string,
    arn: string,
    groupNames: string[],
  ) => {
    const view = await accountJson(accountId);
    return Boolean(
      view?.assignments?.some(
        (a: any) =>
          a.permissionSet.arn === arn &&
          a.principal.type === 'GROUP' &&
          groupNames.includes(a.principal.name),
      ),
    );
  };
  const assignmentJob = (): LossChange[] | undefined => {
    const pair = pairs.next().value;
    if (!pair) return undefined;
    const group = pair.group;
    const entraName = scenario.entra.groups.find(
      g => g.identityStoreGroupId === group.groupId,
    )?.name;
    const names = [group.displayName, ...(entraName ? [entraName] : [])];
    const input = {
      InstanceArn: instanceArn,
      TargetId: pair.accountId,
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: pair.permissionSet.arn,
      PrincipalType: 'GROUP' as const,
      PrincipalId: group.groupId,
    };
    const target = `assignments|${pair.accountId}|${pair.permissionSet.arn}`;
    const present = () =>
      hasAssignment(pair.accountId, pair.permissionSet.arn, names);
    return [
      {
        kind: 'assignment-created',
        target,
        per: 'item',
        item: `${target}|${group.groupId}`,
        apply: async () => {
          await ssoAdmin.send(new CreateAccountAssignmentCommand(input));
        },
        visible: present,
      },
      {
        kind: 'assignment-deleted',
        target,
        per: 'item',
        item: `${target}|${group.groupId}`,
        apply: async () => {
          await ssoAdmin.send(new DeleteAccountAssignmentCommand(input));
        },
        visible: async () => !(await present()),
      },
    ];
  };

  // Memberships: an app-assigned group and a provisioned person not in it.
  const provisioned = new Set(
    idc.users.filter(u => !u.unmanaged).map(u => u.userName),
  );
  const entraUsers = scenario.entra.users.filter(
    u => u.enabled && provisioned.has(u.upn),
  );
  const appGroups = scenario.entra.groups.filter(
    g => g.assignedToAwsApp && g.identityStoreGroupId,
  );
  const members = new Map(
    state.entra.groups.map(g => [g.name, new Set(g.members)]),
  );
  const idcGroupName = new Map(idc.groups.map(g => [g.groupId, g.displayName]));
  let userCursor = 0;
  /** The i-th group that still has a provisioned person outside it (a team of everyone has none), and that person. */
  const outsider = (i: number) => {
    for (let g = 0; g < appGroups.length; g++) {
      const candidateGroup = appGroups[(i + g) % appGroups.length];
      const inGroup = members.get(candidateGroup.name) ?? new Set<string>();
      members.set(candidateGroup.name, inGroup);
      for (let tries = 0; tries < entraUsers.length; tries++) {
        const candidate = entraUsers[userCursor++ % entraUsers.length];
        if (!inGroup.has(candidate.upn)) {
          inGroup.add(candidate.upn);
          return { group: candidateGroup, user: candidate };
        }
      }
    }
    return undefined;
  };
  const membershipJob = (i: number): LossChange[] | undefined => {
    const found = outsider(i);
    if (!found) return undefined;
    const { group, user } = found;
    const ref = entraUserEntityRef({
      mail: user.mail,
      userPrincipalName: user.upn,
    });
    const displayName =
      idcGroupName.get(group.identityStoreGroupId!) ?? group.name;
    const inIdc = async () => {
      const view = await backend.json(
        `/api/aws-access/users/${encodeURIComponent(ref)}`,
      );
      return Boolean(view.identityCenter?.groups?.includes(displayName));
    };
    const target = `group|${group.identityStoreGroupId}`;
    const cycle = (change: () => Promise<unknown>) =>
      scim.run(async () => {
        await change();
        const at = Date.now();
        const result = await control.runScimCycle();
        if (!result.changes.length)
          throw new Error(
            `the SCIM cycle changed nothing after ${group.name} / ${user.upn}`,
          );
        return at;
      });
    return [
      {
        kind: 'membership-added',
        target,
        per: 'item',
        item: `${group.name}|${user.upn}`,
        apply: () => cycle(() => control.addGroupMember(group.name, user.upn)),
        visible: inIdc,
      },
      {
        kind: 'membership-removed',
        target,
        per: 'item',
        item: `${group.name}|${user.upn}`,
        apply: () =>
          cycle(() => control.removeGroupMember(group.name, user.upn)),
        visible: async () => !(await inIdc()),
      },
    ];
  };

  let psCounter = 0;
  const permissionSetJob = (
    i: number,
    distinct: boolean,
  ): LossChange[] | undefined => {
    if (distinct && i >= permissionSets.length) return undefined;
    const ps = permissionSets[i % permissionSets.length];
    const description = `Changed by the events bench (${++psCounter}, ${new Date().toISOString()})`;
    const shows = async () => {
      const view = await backend.json(
        `/api/aws-access/permission-sets/${encodeURIComponent(ps.name)}`,
      );
      return view.permissionSet?.description === description;
    };
    return [
      {
        kind: 'permission-set-changed',
        target: `permission-set|${ps.arn}`,
        per: 'target',
        lock: lockFor(ps.arn),
        apply: async () => {
          await ssoAdmin.send(
            new UpdatePermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: ps.arn,
              Description: description,
            }),
          );
        },
        visible: shows,
      },
    ];
  };

  let accountCounter = 0;
  const accountJob = (
    createAndMove: boolean,
    existing?: { id: string },
  ): LossChange[] => {
    const n = ++accountCounter;
    let id = existing?.id ?? '';
    const moveTo = `Bench/Events-${n % 2 === 0 ? 'A' : 'B'}`;
    const moved = async () => {
      const view = await accountJson(id);
      return view?.account?.ouPath === moveTo;
    };
    const create: LossChange = {
      kind: 'account-created',
      target: '',
      per: 'target',
      apply: async () => {
        const made = await control.createAccount({
          name: `bench-events-${n}`,
          email: `bench-events-${n}@example.com`,
          ou: 'Bench/New',
        });
        id = made.id;
        create.target = `account|${id}`;
      },
      visible: async () => Boolean(await accountJson(id)),
    };
    const move: LossChange = {
      kind: 'account-moved',
      target: `account|${id}`,
      per: 'target',
      apply: async () => {
        move.target = `account|${id}`;
        await control.updateAccount(id, { ou: moveTo });
      },
      visible: moved,
    };
    if (existing) return [move];
    return createAndMove ? [create, move] : [create];
  };

  const build = (
    count: number,
    make: (i: number) => LossChange[] | undefined,
  ): LossChange[][] => {
    const out: LossChange[][] = [];
    for (let i = 0; i < count; i++) {
      const job = make(i);
      if (job) out.push(job);
    }
    return out;
  };
  const spread = (kinds: LossChange[][][]) => {
    const out: LossChange[][] = [];
    const longest = Math.max(...kinds.map(k => k.length));
    for (let i = 0; i < longest; i++)
      for (const k of kinds) if (k[i]) out.push(k[i]);
    return out;
  };
  return {
    /** Jobs for `perKind` changes of each kind: create→delete, add→remove, create→move, and edits. */
    latencyJobs: (perKind: number) =>
      spread([
        build(perKind, assignmentJob),
        build(perKind, membershipJob),
        build(perKind, i => permissionSetJob(i, false)),
        build(perKind, () => accountJob(true)),
      ]),
  };
}
