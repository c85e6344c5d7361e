import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import { settle, startFaultWorld } from './__testUtils__/faultWorld';

/*
 * Issue 11, fault matrix: every operation × fault, at a page position (first, middle, last call of the operation
 * in a run, or a delta listing's deltaLink) that rotates with the fault; `FAULT_MATRIX=full` runs every position
 * of every operation for every fault. Each case runs a whole sync against the emulators with one fault injected and checks that
 *   - the run failed, with `error.source` = the source that failed and an error class naming the fault,
 *   - the served snapshot is byte-for-byte the one before (`rawLatest`: id, checksum, size), so nothing the
 *     catalog projects from it can change either (see the catalog module's hardening test).
 * Timeouts cost two request timeouts each, so they run in three emulator worlds of their own, next to the others.
 * "Missing next token" is not an emulator fault; it is in missingNextToken.test.ts.
 */

jest.setTimeout(process.env.FAULT_MATRIX === 'full' ? 900_000 : 300_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Kind =
  | 'http500'
  | 'reset'
  | 'timeout'
  | 'throttle'
  | 'malformed'
  | 'truncated'
  | 'expired-token';
type Service = 'sso-admin' | 'identitystore' | 'organizations' | 'graph';

interface Point {
  /** The source as the issue names it (Graph paths grouped: users, groups + members, app, provisioning, audit). */
  source: string;
  service: Service;
  operation: string;
  position: 'first' | 'middle' | 'last' | 'deltaLink';
  atCall: number;
  of: number;
  /** Expire Graph delta tokens before the run, so the directory is read from scratch (several pages). */
  fullRead: boolean;
}

const DELTA = /\/delta$/;

/** Graph paths the reader calls, grouped as the issue does. Faults match Graph paths by prefix. */
const GRAPH_SOURCES: Array<[string, string]> = [
  ['graph users (users/delta)', '/v1.0/users/delta'],
  ['graph groups + members (groups/delta)', '/v1.0/groups/delta'],
  [
    'graph app (servicePrincipals, appRoleAssignedTo, synchronization/jobs)',
    '/v1.0/servicePrincipals',
  ],
  [
    'graph provisioning log (auditLogs/provisioning)',
    '/v1.0/auditLogs/provisioning',
  ],
  [
    'graph directory audit (auditLogs/directoryAudits)',
    '/v1.0/auditLogs/directoryAudits',
  ],
];

/** Faults that are retried fire on every matching call from `atCall` on, so the retries fail too. */
const RETRIED: ReadonlySet<Kind> = new Set([
  'http500',
  'reset',
  'timeout',
  'throttle',
]);

/** The error class the run must report, per fault and service. */
function expectedClass(kind: Kind, service: Service): RegExp {
  const exhausted = (names: string) =>
    new RegExp(`^(${names}) \\(retries exhausted\\)$`);
  switch (kind) {
    case 'http500':
      return exhausted(
        {
          graph: 'generalException',
          organizations: 'ServiceException',
          'sso-admin': 'InternalServerException',
          identitystore: 'InternalServerException',
        }[service],
      );
    case 'throttle':
      return exhausted(
        {
          graph: 'TooManyRequests',
          organizations: 'TooManyRequestsException',
          'sso-admin': 'ThrottlingException',
          identitystore: 'ThrottlingException',
        }[service],
      );
    case 'reset':
      return exhausted('ECONNRESET|UND_ERR_SOCKET|EPIPE');
    case 'timeout':
      return exhausted('timeout');
    case 'malformed':
    case 'truncated':
      return /^malformed-response$/;
    case 'expired-token':
      return service === 'graph'
        ? /^InvalidAuthenticationToken$/
        : /^ExpiredTokenException$/;
    default:
      throw new Error(`no expectation for ${kind}`);
  }
}

/** Every operation (Graph: path group) a steady-state run calls, at its first, middle and last call. */
async function matrixPoints(
  w: Awaited<ReturnType<typeof startFaultWorld>>,
): Promise<Point[]> {
  await w.world.emulators.control.resetCounters();
  await w.world.emulators.control.expireDeltaTokens();
  const reference = await w.sync.run();
  if (reference.outcome !== 'succeeded')
    throw new Error(
      `The reference run failed: ${JSON.stringify(reference.error)}`,
    );
  return pointsFromCounters(await w.world.emulators.control.getCounters());
}

function pointsFromCounters(counters: Record<string, any>): Point[] {
  const points: Point[] = [];
  const add = (
    source: string,
    service: Service,
    operation: string,
    of: number,
  ) => {
    // A delta listing: its first call continues from the saved deltaLink (steady state); with the tokens expired
    // that call answers 410 and calls 2..n are the pages of the full read.
    const delta = DELTA.test(operation);
    const firstPage = delta ? 2 : 1;
    const positions: Array<[Point['position'], number]> = [
      ['first', firstPage],
      ['middle', Math.ceil((firstPage + of) / 2)],
      ['last', of],
    ];
    const seen = new Set<number>();
    for (const [position, atCall] of positions) {
      if (seen.has(atCall)) continue;
      seen.add(atCall);
      points.push({
        source,
        service,
        operation,
        position,
        atCall,
        of,
        fullRead: delta,
      });
    }
    if (delta)
      points.push({
        source,
        service,
        operation,
        position: 'deltaLink',
        atCall: 1,
        of: 1,
        fullRead: false,
      });
  };
  for (const service of [
    'sso-admin',
    'identitystore',
    'organizations',
  ] as const) {
    for (const [operation, count] of Object.entries(counters[service] ?? {})) {
      add(`${service} ${operation}`, service, operation, count as number);
    }
  }
  const graph = Object.entries(counters.graph ?? {}) as Array<[string, number]>;
  for (const [source, prefix] of GRAPH_SOURCES) {
    const of = graph
      .filter(([template]) => template.replace(/^GET /, '').startsWith(prefix))
      .reduce((sum, [, n]) => sum + n, 0);
    if (of > 0) add(source, 'graph', prefix, of);
  }
  return points;
}

interface CaseResult {
  kind: Kind;
  service: Service;
  label: string;
  ok: boolean;
  got: unknown;
  ms: number;
}

async function runCase(
  w: Awaited<ReturnType<typeof startFaultWorld>>,
  before: unknown,
  point: Point,
  kind: Kind,
): Promise<CaseResult> {
  const { world, sync, store } = w;
  await settle(world);
  await world.emulators.control.clearFaults();
  if (point.fullRead) await world.emulators.control.expireDeltaTokens();
  await world.emulators.control.injectFault({
    service: point.service,
    operation: point.operation,
    kind,
    atCall: point.atCall,
    // Graph's expired token is renewed and the request sent again once: refused for good, it fires on that too.
    times:
      RETRIED.has(kind) ||
      (kind === 'expired-token' && point.service === 'graph')
        ? 100
        : 1,
    retryAfterSeconds: 0,
  });
  const started = Date.now();
  if (process.env.FAULT_MATRIX_TRACE)
    process.stderr.write(
      `${new Date().toISOString()} start ${kind} ${point.source} ${
        point.position
      }\n`,
    );
  const run = await sync.run();
  if (process.env.FAULT_MATRIX_TRACE)
    process.stderr.write(
      `${new Date().toISOString()} done ${kind} ${point.source} ${
        point.position
      } ${run.outcome} ${run.error?.class}\n`,
    );
  const ms = Date.now() - started;
  const latest = await store.rawLatest();
  const label =
    point.position === 'deltaLink'
      ? `${kind} at the deltaLink call (steady state) of ${point.source}`
      : `${kind} at the ${point.position} call (${point.atCall}/${point.of}) of ${point.source}`;
  const ok =
    run.outcome === 'failed' &&
    run.error?.source === point.service &&
    expectedClass(kind, point.service).test(run.error?.class ?? '') &&
    JSON.stringify(latest) === JSON.stringify(before);
  return {
    kind,
    service: point.service,
    label,
    ok,
    ms,
    got: { outcome: run.outcome, error: run.error, snapshot: latest },
  };
}

async function runCases(
  w: Awaited<ReturnType<typeof startFaultWorld>>,
  cases: Array<{ point: Point; kind: Kind }>,
) {
  const before = await w.store.rawLatest();
  const results: CaseResult[] = [];
  // Steady-state cases first: expiring the delta tokens also invalidates the ones the served snapshot holds.
  const ordered = [...cases].sort(
    (a, b) => Number(a.point.fullRead) - Number(b.point.fullRead),
  );
  for (const { point, kind } of ordered)
    results.push(await runCase(w, before, point, kind));
  await settle(w.world);
  await w.world.emulators.control.clearFaults();
  // Once the faults are gone the next run commits again.
  const after = await w.sync.run();
  return { results, recovered: after.outcome === 'succeeded' };
}

const MAIN_KINDS: Kind[] = [
  'http500',
  'reset',
  'throttle',
  'malformed',
  'truncated',
  'expired-token',
];

/** The sources as the issue lists them: each AWS service, and the Graph path groups. */
const sourceGroup = (point: Point) =>
  point.service === 'graph' ? point.source : point.service;

describe.each(databases.eachSupportedId())(
  'fault matrix on %p',
  (databaseId: TestDatabaseId) => {
    it('fails the run naming source and fault, and keeps the served snapshot byte-for-byte, for every case', async () => {
      // Timeouts wait two request timeouts (2.5 s each, generous for a loaded machine) per case: they run in three more worlds, in parallel.
      const worlds = [
        await startFaultWorld(databases, databaseId, {
          requestTimeoutMs: 5000,
        }),
      ];
      for (let i = 0; i < 3; i++)
        worlds.push(
          await startFaultWorld(databases, databaseId, {
            requestTimeoutMs: 2500,
          }),
        );
      try {
        // One clean run (delta tokens expired) counts the calls per operation.
        const points = await matrixPoints(worlds[0]);
        expect(points.length).toBeGreaterThan(40);

        // Every fault on every operation, at a position (first, middle, last page, deltaLink) that rotates with the
        // fault, so each position is hit across the matrix; FAULT_MATRIX=full runs every fault at every position
        // (about 330 cases, 6 minutes). PostgreSQL gets every fault on every source of the list, at a
        // rotating operation and position: the store code under test is the same, only the database differs.
        const exhaustive = process.env.FAULT_MATRIX === 'full';
        const rotate = (
          groupOf: (point: Point) => string,
          kind: Kind,
          k: number,
        ) =>
          [...new Set(points.map(groupOf))].map((group, g) => {
            const inGroup = points.filter(p => groupOf(p) === group);
            return { point: inGroup[(g + k) % inGroup.length], kind };
          });
        const pick = (kinds: Kind[]) =>
          kinds.flatMap((kind, k) => {
            if (exhaustive) return points.map(point => ({ point, kind }));
            return databaseId === 'SQLITE_3'
              ? rotate(p => p.source, kind, k)
              : rotate(sourceGroup, kind, k);
          });
        const timeouts = pick(['timeout']);
        const started = Date.now();
        const runs = await Promise.all([
          runCases(worlds[0], pick(MAIN_KINDS)),
          ...[1, 2, 3].map(w =>
            runCases(
              worlds[w],
              timeouts.filter((_, i) => i % 3 === w - 1),
            ),
          ),
        ]);
        const results = runs.flatMap(r => r.results);
        const failures = results
          .filter(r => !r.ok)
          .map(r => ({ case: r.label, got: r.got }));
        const perKind = [...MAIN_KINDS, 'timeout']
          .map(kind => `${kind} ${results.filter(r => r.kind === kind).length}`)
          .join(', ');
        // eslint-disable-next-line no-console
        console.log(
          `fault matrix on ${databaseId}: ${
            results.length
          } cases (${perKind}) over ${
            new Set(points.map(sourceGroup)).size
          } sources, ` +
            `${new Set(points.map(p => p.source)).size} operations, ${
              points.length
            } call positions, in ${Math.round(
              (Date.now() - started) / 1000,
            )} s; ` +
            `${failures.length} not as expected`,
        );
        expect(failures).toEqual([]);
        expect(runs.map(r => r.recovered)).toEqual([true, true, true, true]);
      } finally {
        await Promise.all(worlds.map(w => w.world.emulators.close()));
      }
    });
  },
);
