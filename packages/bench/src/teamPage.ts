/*
 * The team page against the catalog's by-name route in one backend (issue 18): the real backend
 * (packages/backend) on the `large` generated workload with the bench's 200-member team, catalog users from a file
 * (not msgraph: minutes faster), autocannon at 50 connections on both routes in turn, and the backend's CPU
 * profile of each route's load in the last round (bin/profileOnSignal.js). Not part of `./run bench`; from the
 * root, with PostgreSQL up and the emulators' CA:
 *
 *   NODE_EXTRA_CA_CERTS=.emulators/ca.pem AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 \
 *     nice -n 19 node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *     packages/bench/src/teamPage.ts [--seconds 10] [--rounds 2] [--database-prefix team_..._] \
 *     [--accept-encoding 'gzip, deflate, br']
 *
 * Prints requests/s per route and round, the ratio team / by-name, the backend's CPU per request of each route
 * in the last round, and the top functions by self time. `--database-prefix` of an earlier run serves the
 * snapshot it committed, without a sync. On a shared machine compare ratios within a run, not across runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulators } from '@aws-access/emulators';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import YAML from 'yaml';
import { BackendProcess, backendConfig } from './backend';
import { BENCH_TEAM, REPO_ROOT, scenarioFor } from './scenarios';
import { measure } from './serving';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function arg(name: string, fallback: number): number;
function arg(name: string, fallback: string): string;
function arg(name: string, fallback: number | string) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  return typeof fallback === 'number'
    ? Number(process.argv[at + 1])
    : process.argv[at + 1];
}

/** Self time per function in a CPU profile. */
function topSelfTime(profileFile: string) {
  const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
  const nodes = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id: number) => {
    const { callFrame } = nodes.get(id);
    const name = `${callFrame.functionName || '(anonymous)'} ${path.basename(
      callFrame.url,
    )}:${callFrame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + 1);
    total++;
  });
  return {
    total,
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(
        ([name, n]) =>
          `${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`,
      ),
  };
}

async function main() {
  const seconds = arg('seconds', 10);
  // As a browser asks (the compression middleware then gzips what is not gzipped already); none by default.
  const acceptEncoding = arg('accept-encoding', '') || undefined;
  const rounds = arg('rounds', 2);
  const scenario = scenarioFor('large');
  const emulators = await startEmulators({ scenario, autoScim: false });
  const enabled = emulators.scenario.entra.users.filter(u => u.enabled);
  const members = enabled
    .filter((_, i) => i % Math.floor(enabled.length / 200) === 0)
    .slice(0, 200);
  await emulators.control.createEntraGroup({
    name: BENCH_TEAM,
    members: members.map(u => u.upn),
    securityEnabled: true,
  });
  const member = members[0];
  const userRef = entraUserEntityRef({
    mail: member.mail,
    userPrincipalName: member.upn,
  });
  const groupRef = entraGroupEntityRef({
    displayName: BENCH_TEAM,
    securityEnabled: true,
    mailNickname: BENCH_TEAM,
  });
  const name = (ref: string) => ref.replace(/^\w+:default\//, '');

  // The same prefix again serves the snapshot an earlier run committed (the scenario is deterministic): no sync.
  const databasePrefix = arg('database-prefix', `team_${Date.now()}_`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-access-team-'));
  const entitiesFile = path.join(workDir, 'entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: name(userRef) },
        spec: { profile: { email: member.mail }, memberOf: [name(groupRef)] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: name(groupRef) },
        spec: { type: 'team', children: [] },
      },
    ]
      .map(e => YAML.stringify(e))
      .join('---\n'),
  );
  const port = 17900 + Math.floor(Math.random() * 90);
  const config: any = backendConfig({
    emulators,
    port,
    databasePrefix,
    identityCenterRequestsPerSecond: 10_000,
    msgraph: false,
  });
  config.catalog.locations = [{ type: 'file', target: entitiesFile }];
  const backend = BackendProcess.start({
    repoRoot: REPO_ROOT,
    workDir,
    name: 'backend',
    port,
    config,
    env: {
      IDENTITY_ENDPOINT: emulators.managedIdentityEndpoint,
      IDENTITY_HEADER: 'emulator',
      NODE_OPTIONS: `--require ${path.join(
        REPO_ROOT,
        'packages/bench/bin/profileOnSignal.js',
      )}`,
      BENCH_PROFILE_DIR: workDir,
    },
  });
  try {
    await backend.waitUntilUp(300_000);
    const synced = await backend.json('/api/aws-access/sync/status');
    console.log(`database prefix ${databasePrefix}`);
    if (!synced.lastRun)
      await backend.json('/api/aws-access/sync', { method: 'POST' });
    for (;;) {
      const status = await backend.jsonPatiently('/api/aws-access/sync/status');
      if (
        status.snapshotVersion &&
        status.lastRun &&
        status.lastRun.outcome !== 'running'
      ) {
        console.log(
          `sync: ${status.lastRun.outcome} in ${status.lastRun.durationMs} ms`,
        );
        break;
      }
      await sleep(2000);
    }
    let token = '';
    for (let attempt = 0; !token; attempt++) {
      const login = await fetch(`${backend.baseUrl}/api/auth/dev/refresh`, {
        headers: { 'x-aws-access-dev-user': userRef },
      });
      if (login.ok) token = (await login.json()).backstageIdentity.token;
      else if (attempt > 60) throw new Error(`sign-in: ${await login.text()}`);
      else await sleep(2000);
    }
    const routes = {
      team: `/api/aws-access/groups/${encodeURIComponent(groupRef)}`,
      byName: `/api/catalog/entities/by-name/user/default/${encodeURIComponent(
        name(userRef),
      )}`,
    };
    for (const route of Object.values(routes)) {
      const response = await fetch(`${backend.baseUrl}${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await response.text();
      if (!response.ok) throw new Error(`${route}: ${response.status} ${body}`);
      console.log(`${route}: ${body.length} bytes`);
    }
    // Let the catalog module's projection after the sync settle before measuring.
    await sleep(20_000);
    // The last round is profiled, each route's load on its own: CPU per request is steadier than requests/s
    // on a shared machine (time the backend was not scheduled is not sampled).
    const cpuPerRequest: Record<string, number> = {};
    let profiles = 0;
    for (let round = 0; round < rounds; round++) {
      const figures: Record<string, number> = {};
      for (const [label, route] of Object.entries(routes)) {
        const profiled = round === rounds - 1;
        if (profiled) backend.child.kill('SIGUSR2');
        const r = await measure({
          baseUrl: backend.baseUrl,
          route,
          token,
          connections: 50,
          durationSeconds: seconds,
          acceptEncoding,
        });
        figures[label] = r.requestsPerSecond;
        console.log(
          `round ${round + 1} ${label}: ${r.requestsPerSecond} req/s, p50 ${
            r.p50Ms
          } ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}, ${
            r.bytesPerResponse
          } B`,
        );
        if (!profiled) continue;
        backend.child.kill('SIGUSR2');
        const file = path.join(workDir, `profile-${++profiles}.cpuprofile`);
        while (!fs.existsSync(file)) await sleep(500);
        await sleep(1000);
        const { total, top } = topSelfTime(file);
        cpuPerRequest[label] = total / r.requests;
        console.log(
          `${label}: ${total} samples (ms on the CPU) for ${
            r.requests
          } requests: ${cpuPerRequest[label].toFixed(
            2,
          )} ms per request (${file})`,
        );
        console.log(top.slice(0, label === 'team' ? 40 : 15).join('\n'));
      }
      console.log(
        `round ${round + 1} ratio team / by-name: ${(
          figures.team / figures.byName
        ).toFixed(2)}`,
      );
    }
    console.log(
      `CPU per request team / by-name: ${(
        cpuPerRequest.team / cpuPerRequest.byName
      ).toFixed(2)}`,
    );
  } finally {
    await backend.stop();
    await emulators.close();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
