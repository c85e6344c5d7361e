import fs from 'node:fs';
import path from 'node:path';
import { renderAccessRequests } from './requests';

type Result = Record<string, any>;

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
const ratio = (a: number | undefined, b: number | undefined, digits = 2) =>
  a === undefined || b === undefined || b === 0
    ? '–'
    : `${(a / b).toFixed(digits)}×`;
const mb = (bytes: number | undefined) =>
  bytes === undefined ? undefined : bytes / 1024 / 1024;
const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : ms / 1000;
const bytes = (n: number | undefined) => {
  if (n === undefined || Number.isNaN(n)) return '–';
  if (n >= 1024 * 1024) return `${fmt(n / 1024 / 1024, 1)} MiB`;
  return `${fmt(n / 1024, 1)} KiB`;
};

/** The newest result file of each size in `dir`. */
export function latestResults(dir: string): Result[] {
  const bySize = new Map<string, { file: string; result: Result }>();
  for (const file of fs
    .readdirSync(dir)
    .filter(f => /^(small|large|envelope)-.*\.json$/.test(f))
    .sort()) {
    const result = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    bySize.set(result.size, { file, result: { ...result, file } });
  }
  return ['small', 'large', 'envelope'].flatMap(size =>
    bySize.has(size) ? [bySize.get(size)!.result] : [],
  );
}

function goalLine(met: boolean | undefined, text: string) {
  let verdict = '⚪ not measured';
  if (met !== undefined) verdict = met ? '✅ met' : '❌ not met';
  return `- ${verdict}: ${text}`;
}

/** The markdown for one result. */
export function renderResult(r: Result): string {
  const out: string[] = [];
  const m = r.machine ?? {};
  const gt = r.groundTruth ?? {};
  const lb = gt.lowerBound ?? {};
  const naive = gt.naive ?? {};
  out.push(`## \`${r.size}\` — ${r.startedAt?.slice(0, 10)} (${r.file})`);
  out.push('');
  out.push(
    `Machine: ${m.cpus} cores (${m.cpuModel ?? '?'}), ${
      m.memoryGiB
    } GiB, Node ${m.node}, ${m.platform}; commit \`${m.commit}\`; ` +
      `the run took ${fmt(
        r.totalSeconds,
      )} s. Backend: packages/backend (every plugin) on PostgreSQL, emulators in the harness process.`,
  );
  out.push('');
  out.push(
    `Workload (ground truth from the emulator): N = ${fmt(
      gt.accounts,
    )} accounts, P = ${fmt(gt.permissionSets)} permission sets, ` +
      `${fmt(gt.pairs)} provisioned pairs (${fmt(
        gt.assignments,
      )} assignments), ${fmt(gt.identityStoreUsers)} Identity Center users, ` +
      `${fmt(gt.identityStoreGroups)} Identity Center groups (${fmt(
        gt.identityStoreMemberships,
      )} memberships), ${fmt(gt.entraUsers)} Entra users, ` +
      `${fmt(gt.entraGroups)} Entra groups of which ${fmt(
        gt.entraAssignedGroups,
      )} are assigned to the AWS app.`,
  );
  out.push('');

  // Figure 1
  const cold = r.coldSync?.aws;
  const steady = r.steadySync?.aws;
  out.push('### 1. AWS calls per full sync (goal P1)');
  out.push('');
  out.push(
    '| sync | our calls | lower bound | ours / bound | naive (every account × permission set) | ours / naive |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  if (cold)
    out.push(
      `| first (cold: definitions and tags read) | ${fmt(cold.total)} | ${fmt(
        lb.total,
      )} | ${ratio(cold.total, lb.total)} | ${fmt(naive.total)} | ${ratio(
        cold.total,
        naive.total,
        3,
      )} |`,
    );
  if (steady)
    out.push(
      `| steady state (definitions cached) | ${fmt(steady.total)} | ${fmt(
        lb.total,
      )} | ${ratio(steady.total, lb.total)} | ${fmt(naive.total)} | ${ratio(
        steady.total,
        naive.total,
        3,
      )} |`,
    );
  if (steady)
    out.push(
      `| steady state, Identity Center only (the 20/s instance limit) | ${fmt(
        steady.identityCenter,
      )} | ${fmt(lb.identityCenter)} | ${ratio(
        steady.identityCenter,
        lb.identityCenter,
      )} | ${fmt(naive.identityCenter)} | ${ratio(
        steady.identityCenter,
        naive.identityCenter,
        3,
      )} |`,
    );
  out.push('');
  if (steady) {
    const byOp = {
      ...steady.byOperation['sso-admin'],
      ...steady.byOperation.identitystore,
      ...prefixed(steady.byOperation.organizations, 'organizations '),
    };
    const coldOps = cold
      ? {
          ...cold.byOperation['sso-admin'],
          ...cold.byOperation.identitystore,
          ...prefixed(cold.byOperation.organizations, 'organizations '),
        }
      : {};
    const ops = [
      ...new Set([...Object.keys(coldOps), ...Object.keys(byOp)]),
    ].sort();
    const boundOf: Record<string, number | undefined> = {
      ListPermissionSets: lb.ListPermissionSets,
      ListAccountsForProvisionedPermissionSet:
        lb.ListAccountsForProvisionedPermissionSet,
      ListAccountAssignments: lb.ListAccountAssignments,
      'organizations ListAccounts': lb.ListAccounts,
      ListUsers: lb.ListUsers,
      ListGroups: lb.ListGroups,
      ListGroupMemberships: lb.ListGroupMemberships,
    };
    out.push('<details><summary>Calls by operation</summary>');
    out.push('');
    out.push('| operation | cold | steady | bound term |');
    out.push('| --- | ---: | ---: | ---: |');
    for (const op of ops)
      out.push(
        `| ${op} | ${fmt(coldOps[op])} | ${fmt(byOp[op])} | ${fmt(
          boundOf[op],
        )} |`,
      );
    out.push('');
    out.push('</details>');
    out.push('');
  }
  const ne = r.naiveExecuted;
  if (ne) {
    out.push(
      ne.executed === 'all'
        ? `Naive strategy executed for real: ${fmt(
            ne.listAccountAssignmentsCalls,
          )} ListAccountAssignments calls (emulator counted ${fmt(
            ne.emulatorCounted,
          )}), ${fmt(seconds(ne.wallMs), 1)} s unthrottled (${fmt(
            ne.callsPerSecond,
          )} calls/s); at 10 requests/s it would take ${fmt(
            naive.identityCenter / 10 / 60,
            0,
          )} min.`
        : `Naive strategy: ${fmt(ne.combinations)} of ${fmt(
            ne.totalCombinations,
          )} combinations executed (${fmt(
            ne.callsPerSecond,
          )} calls/s unthrottled); the full count (${fmt(
            naive.ListAccountAssignments,
          )} ListAccountAssignments) is exact from the ground truth; at 10 requests/s it would take ${fmt(
            naive.identityCenter / 10 / 3600,
            1,
          )} h.`,
    );
    out.push('');
  }

  // Figure 2
  const rl = r.rateLimitedSync;
  out.push(
    '### 2. Full-sync wall time under the rate limit (goal P1: ≤ 60 min at the envelope)',
  );
  out.push('');
  if (rl) {
    out.push(
      '| Identity Center calls | wall time | ideal at 10/s (baseline) | utilisation | achieved rate | 429s from the emulator (limit 20/s) | run total |',
    );
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const st = rl.snapshot?.stats ?? {};
    const retries = Object.values(st).reduce(
      (a: number, x: any) => a + (x?.retries ?? 0),
      0,
    );
    const throttledSeen = Object.values(st).reduce(
      (a: number, x: any) => a + (x?.throttled ?? 0),
      0,
    );
    out.push(
      `| ${fmt(rl.aws.identityCenter)} | ${fmt(
        rl.run.durationMs / 60000,
        1,
      )} min | ${fmt(rl.idealSeconds / 60, 1)} min | ${fmt(
        rl.utilisation * 100,
        1,
      )} % | ${fmt(rl.achievedPerSecond, 2)}/s | ${fmt(
        rl.throttledByEmulator,
      )} | ${fmt(rl.aws.total)} AWS calls, ${fmt(rl.graph.total)} Graph |`,
    );
    out.push('');
    out.push(
      `A steady-state sync (definitions cached) by a fresh backend at the product's budget (\`requestsPerSecond: 10\`), the emulator limiting ` +
        `sso-admin + identitystore together to 20/s. The run's own statistics: ${fmt(
          retries,
        )} retries, ${fmt(throttledSeen)} after throttling.`,
    );
  } else if (steady) {
    out.push(
      `Not run (\`--skip-rate-limited\`). Computed: the steady-state sync's ${fmt(
        steady.identityCenter,
      )} Identity Center calls take at least ` +
        `${fmt(
          steady.identityCenter / 10 / 60,
          1,
        )} min at the 10/s budget; the lower bound's ${fmt(
          lb.identityCenter,
        )} take ${fmt(lb.identityCenter / 10 / 60, 1)} min.`,
    );
  } else {
    out.push('Not run (`--skip-rate-limited`).');
  }
  out.push('');

  // Figure 3
  out.push('### 3. Graph requests (goal P3)');
  out.push('');
  out.push(
    '| read | our plugin | upstream msgraph module (same tenant, same run) | ours / msgraph |',
  );
  out.push('| --- | ---: | ---: | ---: |');
  const ourFirst = r.coldSync?.graph?.total;
  const ourDelta = r.steadySync?.graph?.total;
  const msFirst = r.msgraphFirstRead?.total;
  const msAfter = r.msgraphAfterChurn?.total ?? msFirst;
  out.push(
    `| first full read | ${fmt(ourFirst)} | ${fmt(msFirst)} | ${ratio(
      ourFirst,
      msFirst,
    )} |`,
  );
  out.push(
    `| after ${fmt(r.churn?.removed)} + ${fmt(
      r.churn?.added,
    )} membership changes (1 % of ${fmt(r.churn?.memberships)}) | ${fmt(
      ourDelta,
    )} (incremental, delta) | ${fmt(msAfter)} (full again${
      r.msgraphAfterChurn ? '' : ', not re-measured'
    }) | ${ratio(ourDelta, msAfter, 3)} |`,
  );
  out.push('');
  if (r.coldSync?.graph) {
    out.push(
      `Our operations, first read: ${opsLine(
        r.coldSync.graph.byOperation,
      )}. Incremental: ${opsLine(r.steadySync?.graph?.byOperation ?? {})}.`,
    );
    out.push(
      `msgraph module: ${opsLine(r.msgraphFirstRead?.byOperation ?? {})}.`,
    );
    out.push('');
  }

  // Figure 4
  out.push('### 4. Serving (goals P2 and P6)');
  out.push('');
  const s = r.serving;
  if (s) {
    const base = s.concurrent.catalogByName;
    const subj = r.servingSubjects ?? {};
    out.push(
      `${r.args?.connections ?? 50} concurrent connections for ${
        r.args?.serveSeconds ?? 10
      } s each (autocannon), one user token (\`${subj.userRef}\`, ${fmt(
        subj.grants,
      )} grants); ` +
        `\`/groups\` asks for \`${subj.groupRef}\` (${fmt(
          subj.groupDirectMembers,
        )} direct members, ${fmt(
          (subj.groupResponseBytes ?? 0) / 1024,
        )} KiB response). ` +
        `Baseline: the catalog's \`GET /api/catalog/entities/by-name/user/default/…\` on the same backend, same token.`,
    );
    out.push('');
    out.push(
      '| route | req/s | p50 | p99 | req/s vs catalog | p50 vs catalog | one client p50 / p95 |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, label] of [
      ['me', '`GET /api/aws-access/me`'],
      ['group', '`GET /api/aws-access/groups/:ref`'],
      ['syncStatus', '`GET /api/aws-access/sync/status`'],
      ['catalogByName', 'baseline: catalog `by-name`'],
    ]) {
      const c = s.concurrent[name];
      const q = s.sequential[name];
      if (!c) continue;
      out.push(
        `| ${label} | ${fmt(c.requestsPerSecond)} | ${fmt(c.p50Ms)} ms | ${fmt(
          c.p99Ms,
        )} ms | ${ratio(
          c.requestsPerSecond,
          base?.requestsPerSecond,
        )} | ${ratio(c.p50Ms, base?.p50Ms)} | ${fmt(q?.p50Ms, 1)} / ${fmt(
          q?.p95Ms,
          1,
        )} ms |`,
      );
    }
  } else {
    out.push('Not measured in this run.');
  }
  out.push('');

  out.push(...renderAccessRequests(r.accessRequests));

  // Figure 5
  out.push('### 5. Memory, snapshot size, projection (goal P4)');
  out.push('');
  out.push('| what | value | baseline | ratio |');
  out.push('| --- | ---: | ---: | ---: |');
  const rssCold = r.coldSync?.rss;
  const rssIngest = r.catalogIngest?.backendRss;
  if (rssCold)
    out.push(
      `| backend RSS growth during the first full sync (${fmt(
        mb(rssCold.beforeBytes),
      )} → ${fmt(mb(rssCold.peakBytes))} MB) | ${fmt(
        mb(rssCold.growthBytes),
      )} MB | ${fmt(
        mb(rssIngest?.growthBytes),
      )} MB: same backend while the msgraph module read and the catalog stitched the same tenant | ${ratio(
        rssCold.growthBytes,
        rssIngest?.growthBytes,
      )} |`,
    );
  for (const [label, sync] of [
    ['first full sync', r.coldSync],
    ['steady-state sync', r.steadySync],
  ] as const) {
    const resp = sync?.responsiveness;
    if (resp)
      out.push(
        `| longest wait for \`/api/aws-access/health\` during the ${label} (event loop blocked) | ${fmt(
          seconds(resp.maxMs),
          1,
        )} s (${fmt(resp.over1s)} probes > 1 s, ${fmt(
          resp.droppedRequests,
        )} requests dropped) | ${fmt(
          resp.p50Ms,
        )} ms: the probe's median | ${ratio(resp.maxMs, resp.p50Ms, 0)} |`,
      );
  }
  if (r.steadySync?.rss)
    out.push(
      `| backend RSS growth during the steady-state sync | ${fmt(
        mb(r.steadySync.rss.growthBytes),
      )} MB | | |`,
    );
  if (rl?.rss)
    out.push(
      `| backend RSS growth during the rate-limited sync (fresh backend, no msgraph) | ${fmt(
        mb(rl.rss.growthBytes),
      )} MB (peak ${fmt(mb(rl.rss.peakBytes))} MB) | | |`,
    );
  const snap = r.coldSync?.snapshot;
  if (snap)
    out.push(
      `| snapshot in the database (gzipped JSON, \`size_bytes\`) | ${bytes(
        snap.gzipBytes,
      )} | ${bytes(snap.jsonBytes)} uncompressed JSON | ${ratio(
        snap.gzipBytes,
        snap.jsonBytes,
        3,
      )} |`,
    );
  if (r.projection?.catalogDb)
    out.push(
      `| catalog database (PostgreSQL, every entity incl. the msgraph users and groups) | ${bytes(
        r.projection.catalogDb.totalBytes,
      )} | ${bytes(snap?.gzipBytes)}: our snapshot row | ${ratio(
        r.projection.catalogDb.totalBytes,
        snap?.gzipBytes,
        0,
      )} |`,
    );
  if (r.projection)
    out.push(
      `| catalog projection: commit → ${fmt(
        r.projection.accounts,
      )} accounts and ${fmt(
        r.projection.permissionSets,
      )} permission sets in the catalog | ${fmt(
        seconds(r.projection.msFromCommitToCatalog),
        1,
      )} s | ${fmt(
        seconds(r.coldSync?.run?.durationMs),
        1,
      )} s: the sync itself | ${ratio(
        r.projection.msFromCommitToCatalog,
        r.coldSync?.run?.durationMs,
      )} |`,
    );
  out.push('');

  // Goals
  out.push('### Goals');
  out.push('');
  if (steady) {
    const extra = steady.total - lb.total;
    const ic = steady.byOperation['sso-admin'] ?? {};
    const org = steady.byOperation.organizations ?? {};
    const overPs =
      (ic.ListAccountsForProvisionedPermissionSet ?? 0) -
      (lb.ListAccountsForProvisionedPermissionSet ?? 0);
    const ouTree =
      (org.ListRoots ?? 0) + (org.ListOrganizationalUnitsForParent ?? 0);
    out.push(
      goalLine(
        steady.total <= lb.total,
        `P1 call budget: steady state ${fmt(steady.total)} calls vs bound ${fmt(
          lb.total,
        )} (${extra >= 0 ? '+' : ''}${fmt(extra)}: ` +
          `+${fmt(
            overPs,
          )} ListAccountsForProvisionedPermissionSet for provisioning failures, +${fmt(
            ouTree,
          )} Organizations OU-tree calls` +
          `${
            extra - overPs - ouTree !== 0
              ? `, ${fmt(extra - overPs - ouTree)} other`
              : ''
          }); Identity Center alone ${ratio(
            steady.identityCenter,
            lb.identityCenter,
            3,
          )} of its bound; ` +
          `${ratio(steady.total, naive.total, 3)} of the naive strategy.`,
      ),
    );
  }
  if (rl)
    out.push(
      goalLine(
        rl.utilisation >= 0.9 && rl.throttledByEmulator === 0,
        `P1 rate: ${fmt(
          rl.utilisation * 100,
          1,
        )} % of the 10/s budget used (above 100 % only when the run is shorter than the budget's one-second burst), ` +
          `${fmt(
            rl.throttledByEmulator,
          )} throttles at the instance's 20/s; the run took ${fmt(
            rl.run.durationMs / 60000,
            1,
          )} min.`,
      ),
    );
  if (s) {
    out.push(
      goalLine(
        s.sequential.me?.p95Ms <= 300,
        `P2 my access from the snapshot p95 ≤ 300 ms: ${fmt(
          s.sequential.me?.p95Ms,
          1,
        )} ms (one client); under 50 connections p99 ${fmt(
          s.concurrent.me?.p99Ms,
        )} ms.`,
      ),
    );
    out.push(
      goalLine(
        s.sequential.syncStatus?.p95Ms <= 100,
        `P6 sync status p95 ≤ 100 ms: ${fmt(
          s.sequential.syncStatus?.p95Ms,
          1,
        )} ms.`,
      ),
    );
    out.push(
      goalLine(
        s.sequential.group?.p95Ms <= 500,
        `P6 team access p95 ≤ 500 ms for a ${fmt(
          r.servingSubjects?.groupDirectMembers,
        )}-member group: ${fmt(
          s.sequential.group?.p95Ms,
          1,
        )} ms (one client); under 50 connections p99 ${fmt(
          s.concurrent.group?.p99Ms,
        )} ms.`,
      ),
    );
  }
  if (r.coldSync?.graph) {
    const perGroup = Object.keys(r.coldSync.graph.byOperation).filter(op =>
      /members|transitive|photo/.test(op),
    );
    const userPages =
      r.coldSync.graph.byOperation['GET /v1.0/users/delta'] ?? 0;
    const fullPages = Math.ceil((gt.entraUsers ?? 0) / 999);
    out.push(
      goalLine(
        userPages <= Math.ceil(fullPages * 1.1),
        `P3 user pages: the first read took ${fmt(
          userPages,
        )} \`/users/delta\` pages for ${fmt(gt.entraUsers)} users; ` +
          `999 per page would be ${fmt(
            fullPages,
          )} (P3: ≤ 110 at 100,000 users).`,
      ),
    );
    out.push(
      goalLine(
        perGroup.length === 0,
        `P3 Graph: no per-group members, transitiveMembers or photo calls (${
          perGroup.length === 0 ? 'none' : perGroup.join(', ')
        }); incremental read ${fmt(ourDelta)} requests vs ${fmt(
          msAfter,
        )} for the msgraph module.`,
      ),
    );
  }
  if (rssCold) {
    const growth = Math.max(
      rssCold.growthBytes,
      r.steadySync?.rss?.growthBytes ?? 0,
    );
    out.push(
      goalLine(
        growth <= 512 * 1024 * 1024,
        `P4 memory: peak RSS growth ${fmt(
          mb(growth),
        )} MB during a full sync (first ${fmt(mb(rssCold.growthBytes))} MB, ` +
          `steady state ${fmt(
            mb(r.steadySync?.rss?.growthBytes),
          )} MB; goal ≤ 512 MB at the envelope).`,
      ),
    );
  }
  out.push('');
  if (r.notes?.length) {
    out.push('Notes:');
    out.push('');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

function prefixed(o: Record<string, number> | undefined, prefix: string) {
  return Object.fromEntries(
    Object.entries(o ?? {}).map(([k, v]) => [`${prefix}${k}`, v]),
  );
}

function opsLine(o: Record<string, number>) {
  const entries = Object.entries(o);
  return entries.length
    ? entries
        .map(([k, v]) => `${k.replace(/^GET \/v1\.0/, '')} ${v}`)
        .join(', ')
    : 'none';
}

/** One line per size with the figures a README quotes. */
export function renderHeadline(results: Result[]): string {
  const rows = results.map(r => {
    const lb = r.groundTruth?.lowerBound ?? {};
    const steady = r.steadySync;
    const rl = r.rateLimitedSync;
    const me = r.serving?.concurrent?.me;
    const wall = rl
      ? `${fmt(rl.run.durationMs / 60000, 1)} min (${fmt(
          rl.utilisation * 100,
          0,
        )} % of budget)`
      : `≥ ${fmt(
          (steady?.aws?.identityCenter ?? 0) / 10 / 60,
          0,
        )} min (computed)`;
    return (
      `| ${r.size} | ${r.startedAt?.slice(0, 10)} | ${fmt(
        steady?.aws?.total,
      )} / ${fmt(lb.total)} (${ratio(
        steady?.aws?.total,
        lb.total,
      )}) | ${wall} | ` +
      `${fmt(r.coldSync?.graph?.total)} → ${fmt(steady?.graph?.total)} vs ${fmt(
        r.msgraphFirstRead?.total,
      )} | ` +
      `${
        me
          ? `${fmt(me.p50Ms)} / ${fmt(me.p99Ms)} ms, ${fmt(
              me.requestsPerSecond,
            )} req/s`
          : '–'
      } | ` +
      `${fmt(
        mb(
          Math.max(
            r.coldSync?.rss?.growthBytes ?? 0,
            steady?.rss?.growthBytes ?? 0,
          ),
        ),
      )} MB | ${fmt(
        seconds(
          Math.max(
            r.coldSync?.responsiveness?.maxMs ?? 0,
            steady?.responsiveness?.maxMs ?? 0,
          ),
        ),
        1,
      )} s | ` +
      `${r.machine?.cpus} cores, ${r.machine?.memoryGiB} GiB, Node ${r.machine?.node}, \`${r.machine?.commit}\` |`
    );
  });
  return [
    '| size | date | AWS calls per steady sync / lower bound | steady sync at 10 req/s | Graph requests: first → incremental vs msgraph module | `/me` p50 / p99 at 50 connections | peak RSS growth during a sync | longest event-loop block during a sync | machine, commit |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

/** Regenerates SUMMARY.md from the newest result of each size. */
export function writeSummary(dir: string): string {
  const results = latestResults(dir);
  const lines = [
    '# AWS Access for Backstage: benchmark results',
    '',
    'Generated by `./run bench --size small|large|envelope` (packages/bench) from the newest `bench/results/<size>-<date>.json` of each size; ',
    'older result files are kept beside it. Every figure is measured next to its baseline in the same run; ratios are ours / baseline. ',
    'Goals P1–P6 are those of shared/reference/reliability-performance.md §10.',
    '',
    '## Headline (for the README)',
    '',
    renderHeadline(results),
    '',
    ...results.map(renderResult),
  ];
  const file = path.join(dir, 'SUMMARY.md');
  fs.writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
  return file;
}
