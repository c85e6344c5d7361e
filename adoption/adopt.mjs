#!/usr/bin/env node
/*
 * The adoption test (issue 12): what a platform team does to add AWS Access for Backstage to the app they
 * already run, done by script from the package READMEs, against the emulators instead of real AWS and Entra.
 *
 *   1 pack       build and `yarn pack` the six plugin packages of this repository
 *   2 scaffold   a new app with @backstage/create-app@0.9.2 (the template of our Backstage release, 1.55.0)
 *   3 pin        the app's @backstage/* dependencies to our release line (what `backstage-cli versions:bump` does)
 *   4 add        `yarn add` our packages to the backend and the app, exactly as the READMEs say
 *   5 wire       backend/src/index.ts and app-config.yaml, exactly as the READMEs say
 *   6 start      the emulators, then the app's `yarn start` (backend and frontend dev server)
 *   7 api        a token for a seed user, then GET /api/aws-access/me answers with that user's grants
 *   8 browser    the "My AWS access" page renders in Chromium; screenshot test-results/adoption.png
 *
 * Each step of `wire` and `add` names the README section it follows (README-STEP ids, see adoption/README.md).
 * Phase timings go to test-results/adoption-timings.json. The throwaway app lives in a temp dir and is removed
 * afterwards unless --keep is given or the test failed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const YAML = requireFromRepo('yaml');

const args = process.argv.slice(2);
const flag = name => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
if (flag('--help') || flag('-h')) {
  console.log(
    'usage: ./adoption/run [--workdir DIR] [--keep] [--skip-tsc] [--from pack|scaffold|pin|add|wire|start]',
  );
  process.exit(0);
}

const CREATE_APP_VERSION = '0.9.2';
const PLUGINS = [
  'aws-access-common',
  'aws-access-node',
  'aws-access-backend',
  'catalog-backend-module-aws-access',
  'scaffolder-backend-module-aws-access',
  'aws-access',
];
// What a tarball must contain besides package.json and dist/index.d.ts.
const REQUIRED_FILES = {
  'aws-access-common': ['README.md', 'dist/index.cjs.js', 'dist/index.esm.js'],
  'aws-access-node': ['README.md', 'dist/index.cjs.js'],
  'aws-access-backend': [
    'README.md',
    'dist/index.cjs.js',
    'config.schema.json',
    'openapi.yaml',
    'migrations/20261130000000_init.js',
  ],
  'catalog-backend-module-aws-access': [
    'README.md',
    'dist/index.cjs.js',
    'config.schema.json',
  ],
  'scaffolder-backend-module-aws-access': ['README.md', 'dist/index.cjs.js'],
  'aws-access': [
    'README.md',
    'dist/index.esm.js',
    'dist/alpha.esm.js',
    'dist/alpha.d.ts',
  ],
};
const SEED_USER = 'user:default/aamir_example.com';
const PORTS = {
  backend: Number(process.env.ADOPTION_BACKEND_PORT ?? 7107),
  app: Number(process.env.ADOPTION_APP_PORT ?? 3107),
  aws: Number(process.env.ADOPTION_AWS_PORT ?? 4666),
  graph: Number(process.env.ADOPTION_GRAPH_PORT ?? 4667),
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const work = path.resolve(
  option('--workdir', '') ||
    fs.mkdtempSync(path.join(os.tmpdir(), 'aws-access-adoption-')),
);
const appDir = path.join(work, 'app');
const packsDir = path.join(work, 'packs');
const logsDir = path.join(work, 'logs');
const resultsDir = path.join(repoRoot, 'test-results');
fs.mkdirSync(logsDir, { recursive: true });
fs.mkdirSync(resultsDir, { recursive: true });

const repoYarn = path.join(
  repoRoot,
  '.yarn/releases',
  fs
    .readdirSync(path.join(repoRoot, '.yarn/releases'))
    .filter(f => f.endsWith('.cjs'))
    .sort()
    .pop(),
);
const baseEnv = {
  ...process.env,
  YARN_ENABLE_TELEMETRY: '0',
  // CI=true makes Yarn refuse to write a lockfile; the throwaway app has none yet.
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  YARN_ENABLE_PROGRESS_BARS: 'false',
  // better-sqlite3 builds against the system Node's headers (no prebuilt binaries are reachable).
  ...(fs.existsSync('/usr/include/node/node.h') &&
  !process.env.npm_config_nodedir
    ? { npm_config_nodedir: '/usr' }
    : {}),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const timings = [];
const steps = [];
const children = [];
let currentLog;

function say(message) {
  console.log(`\x1b[1m==> ${message}\x1b[0m`);
}

/** A README step carried out by the script (listed in the summary). */
function step(id, what) {
  steps.push({ id, what });
  console.log(`    [${id}] ${what}`);
}

async function phase(name, fn) {
  say(`${name}`);
  currentLog = path.join(logsDir, `${name}.log`);
  const started = Date.now();
  try {
    return await fn();
  } finally {
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    timings.push({ phase: name, seconds });
    console.log(`    ${name}: ${seconds} s`);
  }
}

function tail(file, lines = 60) {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Runs a command to completion, output appended to the phase log; throws with the log's tail on failure. */
function run(command, commandArgs, options = {}) {
  const log = options.log ?? currentLog;
  fs.appendFileSync(
    log,
    `\n$ ${command} ${commandArgs.join(' ')}   (in ${
      options.cwd ?? process.cwd()
    })\n`,
  );
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'a');
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      env: options.env ?? baseEnv,
      stdio: ['ignore', out, out],
    });
    child.on('error', reject);
    child.on('exit', code => {
      fs.closeSync(out);
      if (code === 0 || options.allowFailure) resolve(code);
      else
        reject(
          new Error(
            `${command} ${commandArgs.join(
              ' ',
            )} exited with ${code}\n--- ${log} ---\n${tail(log)}`,
          ),
        );
    });
  });
}

/** Starts a long-running process in its own process group; stopped at exit. */
function start(name, command, commandArgs, options) {
  const log = path.join(logsDir, `${name}.log`);
  const out = fs.openSync(log, 'a');
  const child = spawn(command, commandArgs, {
    ...options,
    detached: true,
    stdio: ['ignore', out, out],
  });
  children.push({ name, child, log });
  return { child, log };
}

async function stopAll() {
  for (const { child } of children.reverse()) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 15_000;
  for (const { child } of children) {
    while (Date.now() < deadline) {
      try {
        process.kill(-child.pid, 0);
      } catch {
        break;
      }
      await sleep(250);
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(what, check, timeoutMs, logFile) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      last = error;
    }
    for (const { name, child, log } of children) {
      if (child.exitCode !== null)
        throw new Error(
          `${name} exited (${child.exitCode}) while waiting for ${what}\n${tail(
            log,
          )}`,
        );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs / 1000} s waiting for ${what}${
          last ? ` (last error: ${last.message})` : ''
        }\n${logFile ? tail(logFile) : ''}`,
      );
    }
    await sleep(1000);
  }
}

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

// ---------------------------------------------------------------------------------------------------------

async function pack() {
  if (!flag('--skip-tsc')) {
    // `backstage-cli package build` takes the type declarations from dist-types. tsc writes them even when some
    // file has a type error; `./run test` reports type errors, this test needs the declarations of our packages.
    const code = await run('node', [repoYarn, 'tsc'], {
      cwd: repoRoot,
      allowFailure: true,
    });
    if (code !== 0)
      console.log(
        '    warning: `yarn tsc` found type errors (see the pack log); ./run test reports them',
      );
  }
  for (const dir of PLUGINS) {
    const declarations = path.join(
      repoRoot,
      'dist-types/plugins',
      dir,
      'src/index.d.ts',
    );
    if (!fs.existsSync(declarations))
      throw new Error(
        `${declarations} is missing: run yarn tsc in the repository`,
      );
  }
  fs.mkdirSync(packsDir, { recursive: true });
  const contents = {};
  for (const dir of PLUGINS) {
    const cwd = path.join(repoRoot, 'plugins', dir);
    await run('node', [repoYarn, 'build'], { cwd });
    const tarball = path.join(packsDir, `${dir}.tgz`);
    // prepack/postpack (backstage-cli) rewrite package.json for publishing and restore it.
    await run('node', [repoYarn, 'pack', '--out', tarball], { cwd });
    const listing = await capture('tar', ['tzf', tarball]);
    const files = listing
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, ''));
    contents[dir] = files.filter(f => !f.endsWith('.map'));
    const missing = [
      'package.json',
      'dist/index.d.ts',
      ...REQUIRED_FILES[dir],
    ].filter(f => !files.includes(f));
    if (missing.length > 0)
      throw new Error(`${dir}.tgz lacks ${missing.join(', ')}`);
    const manifest = JSON.parse(
      await capture('tar', ['xzf', tarball, '-O', 'package/package.json']),
    );
    const workspaceRanges = Object.entries({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
    }).filter(([, v]) => String(v).startsWith('workspace:'));
    if (workspaceRanges.length > 0)
      throw new Error(
        `${dir}.tgz still has workspace: ranges: ${workspaceRanges
          .map(([k]) => k)
          .join(', ')}`,
      );
    if (manifest.private) throw new Error(`${dir} is private`);
    if (manifest.main?.startsWith('src/'))
      throw new Error(
        `${dir}.tgz points main at src/ (publishConfig not applied)`,
      );
  }
  writeJson(path.join(resultsDir, 'adoption-tarballs.json'), contents);
  return contents;
}

function capture(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      ...options,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', d => (text += d));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(text)
        : reject(
            new Error(
              `${command} ${commandArgs.join(' ')} exited with ${code}`,
            ),
          ),
    );
  });
}

async function scaffold() {
  const tools = path.join(work, 'tools');
  // create-app 0.9.2 refuses Node 20 and wants yarn on PATH: run it with Node 22 and Yarn 1 from npm.
  await run('npm', [
    'install',
    '--prefix',
    tools,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    'node@22',
    'yarn@1',
    `@backstage/create-app@${CREATE_APP_VERSION}`,
  ]);
  const bin = path.join(tools, 'node_modules/.bin');
  await run(
    path.join(bin, 'backstage-create-app'),
    ['--path', 'app', '--skip-install'],
    {
      cwd: work,
      env: {
        ...baseEnv,
        PATH: `${bin}:${process.env.PATH}`,
        BACKSTAGE_APP_NAME: 'adopters-app',
      },
    },
  );
  const release = readJson(path.join(appDir, 'backstage.json')).version;
  const ours = readJson(path.join(repoRoot, 'backstage.json')).version;
  if (release !== ours)
    throw new Error(
      `create-app ${CREATE_APP_VERSION} scaffolds Backstage ${release}, this repo is on ${ours}`,
    );
}

function pin() {
  // The template's yarn.lock seed is fetched from GitHub, which is not reachable: pin one release line instead.
  const releaseVersions = Object.fromEntries(
    Object.entries(
      readJson(path.join(repoRoot, 'package.json')).resolutions,
    ).filter(([name]) => name.startsWith('@backstage/')),
  );
  let rewritten = 0;
  for (const manifestPath of [
    'package.json',
    'packages/app/package.json',
    'packages/backend/package.json',
  ]) {
    const file = path.join(appDir, manifestPath);
    const manifest = readJson(file);
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (releaseVersions[name]) {
          manifest[field][name] = releaseVersions[name];
          rewritten++;
        }
      }
    }
    writeJson(file, manifest);
  }
  const root = readJson(path.join(appDir, 'package.json'));
  root.resolutions = { ...root.resolutions, ...releaseVersions };
  // Registry stand-in: our packages are not on npm, so every reference to them resolves to the packed tarball.
  for (const dir of PLUGINS) {
    const name = JSON.parse(
      fs.readFileSync(
        path.join(repoRoot, 'plugins', dir, 'package.json'),
        'utf8',
      ),
    ).name;
    root.resolutions[name] = `file:${path.join(packsDir, `${dir}.tgz`)}`;
  }
  writeJson(path.join(appDir, 'package.json'), root);
  console.log(
    `    pinned ${rewritten} dependencies and ${
      Object.keys(releaseVersions).length
    } resolutions to Backstage ${
      readJson(path.join(repoRoot, 'backstage.json')).version
    }`,
  );
}

async function add() {
  const yarn = path.join(appDir, '.yarn/releases/yarn-4.13.0.cjs');
  const version = readJson(
    path.join(repoRoot, 'plugins/aws-access-backend/package.json'),
  ).version;
  // Our packages are named with their version: they are not on the registry, whose `latest` tag `yarn add` asks for.
  step(
    'backend-README/install-1',
    'yarn --cwd packages/backend add @aws-access/plugin-aws-access-backend',
  );
  step(
    'catalog-README/install-1',
    'yarn --cwd packages/backend add @aws-access/plugin-catalog-backend-module-aws-access',
  );
  step(
    'backend-README/users-1',
    'yarn --cwd packages/backend add @backstage/plugin-catalog-backend-module-msgraph',
  );
  step(
    'scaffolder-README/install-1',
    'yarn --cwd packages/backend add @aws-access/plugin-scaffolder-backend-module-aws-access',
  );
  step(
    'backend-README/permissions-1',
    'yarn --cwd packages/backend add @backstage/backend-plugin-api @aws-access/plugin-aws-access-common @aws-access/plugin-aws-access-node',
  );
  await run(
    'node',
    [
      yarn,
      '--cwd',
      'packages/backend',
      'add',
      `@aws-access/plugin-aws-access-backend@^${version}`,
      `@aws-access/plugin-catalog-backend-module-aws-access@^${version}`,
      `@aws-access/plugin-scaffolder-backend-module-aws-access@^${version}`,
      '@backstage/plugin-catalog-backend-module-msgraph',
      '@backstage/backend-plugin-api',
      `@aws-access/plugin-aws-access-common@^${version}`,
      `@aws-access/plugin-aws-access-node@^${version}`,
    ],
    { cwd: appDir },
  );
  step(
    'frontend-README/install-1',
    'yarn --cwd packages/app add @aws-access/plugin-aws-access',
  );
  await run(
    'node',
    [
      yarn,
      '--cwd',
      'packages/app',
      'add',
      `@aws-access/plugin-aws-access@^${version}`,
    ],
    { cwd: appDir },
  );
}

function wire(emulatorIds) {
  // packages/backend/src/index.ts: one backend.add per feature, before backend.start().
  const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
  let index = fs.readFileSync(indexFile, 'utf8');
  step(
    'backend-README/install-2',
    "backend.add(import('@aws-access/plugin-aws-access-backend'))",
  );
  step(
    'backend-README/users-2',
    "backend.add(import('@backstage/plugin-catalog-backend-module-msgraph'))",
  );
  step(
    'catalog-README/install-2',
    "backend.add(import('@aws-access/plugin-catalog-backend-module-aws-access'))",
  );
  step(
    'scaffolder-README/install-2',
    "backend.add(import('@aws-access/plugin-scaffolder-backend-module-aws-access'))",
  );
  const lines = [
    '// AWS access for Backstage',
    "backend.add(import('@aws-access/plugin-aws-access-backend'));",
    "backend.add(import('@backstage/plugin-catalog-backend-module-msgraph'));",
    "backend.add(import('@aws-access/plugin-catalog-backend-module-aws-access'));",
    "backend.add(import('@aws-access/plugin-scaffolder-backend-module-aws-access'));",
    '',
  ].join('\n');
  if (!index.includes('backend.start();'))
    throw new Error('the template backend has no backend.start()');
  index = index.replace('backend.start();', `${lines}backend.start();`);

  // The sample permission policy, taken verbatim from the backend README, replaces the template's allow-all policy.
  const policyFile = 'packages/backend/src/modules/permissionPolicy.ts';
  step(
    'backend-README/permissions-2',
    `${policyFile} from the README's sample policy`,
  );
  const readme = fs.readFileSync(
    path.join(repoRoot, 'plugins/aws-access-backend/README.md'),
    'utf8',
  );
  const policy = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map(m => m[1])
    .find(code => code.startsWith(`// ${policyFile}`));
  if (!policy)
    throw new Error(
      `the backend README has no \`\`\`ts block starting with // ${policyFile}`,
    );
  fs.mkdirSync(path.join(appDir, path.dirname(policyFile)), {
    recursive: true,
  });
  fs.writeFileSync(path.join(appDir, policyFile), policy);
  step(
    'backend-README/permissions-3',
    "backend.add(import('./modules/permissionPolicy')) instead of the allow-all policy module",
  );
  const allowAll =
    /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);/;
  if (!allowAll.test(index))
    throw new Error(
      'the template backend does not add the allow-all policy module',
    );
  index = index.replace(
    allowAll,
    "backend.add(import('./modules/permissionPolicy'));",
  );
  fs.writeFileSync(indexFile, index);

  // app-config.yaml, edited as a document so the template's comments stay.
  const configFile = path.join(appDir, 'app-config.yaml');
  const doc = YAML.parseDocument(fs.readFileSync(configFile, 'utf8'));
  const graph = `https://127.0.0.1:${PORTS.graph}`;
  step(
    'backend-README/config-3',
    'awsAccess.platformGroups: [group:default/platform-team]',
  );
  doc.setIn(
    ['awsAccess', 'platformGroups'],
    doc.createNode(['group:default/platform-team']),
  );
  step(
    'backend-README/config-1',
    'awsAccess.identityCenter (region; endpoint only because AWS is emulated)',
  );
  doc.setIn(
    ['awsAccess', 'identityCenter'],
    doc.createNode({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${PORTS.aws}`,
    }),
  );
  step(
    'backend-README/config-2',
    'awsAccess.entra (tenantId, clientId, clientSecret, awsAppId; authority/graphBaseUrl only because Entra is emulated)',
  );
  doc.setIn(
    ['awsAccess', 'entra'],
    doc.createNode({
      tenantId: '${AZURE_TENANT_ID}',
      clientId: '${AWS_ACCESS_ENTRA_CLIENT_ID}',
      clientSecret: '${AWS_ACCESS_ENTRA_CLIENT_SECRET}',
      awsAppId: '${AWS_ACCESS_AWS_APP_ID}',
      authority: graph,
      graphBaseUrl: graph,
    }),
  );
  step(
    'backend-README/users-3',
    'catalog.providers.microsoftGraphOrg.default (target, tenantId, schedule)',
  );
  doc.setIn(
    ['catalog', 'providers', 'microsoftGraphOrg', 'default'],
    doc.createNode({
      target: `${graph}/v1.0`,
      authority: graph,
      tenantId: '${AZURE_TENANT_ID}',
      user: { loadPhotos: false },
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 3 },
        initialDelay: { seconds: 3 },
      },
    }),
  );
  step(
    'backend-README/users-4',
    'catalog.rules: allow User and Group (the template allows neither)',
  );
  const rules = doc.getIn(['catalog', 'rules']);
  const allow = rules?.items?.[0]?.get('allow');
  if (!allow) throw new Error('the template has no catalog.rules[0].allow');
  for (const kind of ['User', 'Group'])
    if (!allow.items.some(item => String(item.value ?? item) === kind))
      allow.add(kind);
  step('catalog-README/config-1', 'catalog.providers.awsAccess.mode: link');
  doc.setIn(
    ['catalog', 'providers', 'awsAccess'],
    doc.createNode({ mode: 'link' }),
  );
  fs.writeFileSync(configFile, doc.toString());

  // Environment of this test, not README steps: ports that do not clash with ./run start, and the template's
  // guest sign-in standing in for Microsoft sign-in (which needs a browser round trip to Entra).
  fs.writeFileSync(
    path.join(appDir, 'app-config.local.yaml'),
    YAML.stringify({
      app: { baseUrl: `http://localhost:${PORTS.app}` },
      backend: {
        baseUrl: `http://localhost:${PORTS.backend}`,
        listen: { port: PORTS.backend },
        cors: { origin: `http://localhost:${PORTS.app}` },
      },
      auth: { providers: { guest: { userEntityRef: SEED_USER } } },
    }),
  );
  return emulatorIds;
}

async function startStack() {
  const stateDir = path.join(work, 'emulators');
  const emulatorsBin = path.join(
    repoRoot,
    'packages/emulators/bin/aws-access-emulators',
  );
  await run('node', [emulatorsBin, '--init-ca', '--state-dir', stateDir], {
    cwd: repoRoot,
  });
  const env = {
    ...baseEnv,
    NODE_EXTRA_CA_CERTS: path.join(stateDir, 'ca.pem'),
    // The msgraph module reaches the Graph emulator through its managed-identity endpoint (App Service style).
    IDENTITY_ENDPOINT: `https://127.0.0.1:${PORTS.graph}/msi/token`,
    IDENTITY_HEADER: 'emulator',
    // The AWS SDK's default credential chain; the emulator does not check signatures.
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_REGION: 'us-east-1',
    BROWSER: 'none',
  };
  const emulators = start(
    'emulators',
    'node',
    [
      emulatorsBin,
      '--scenario',
      path.join(repoRoot, 'examples/scenarios/seed-org.yaml'),
      '--aws-port',
      String(PORTS.aws),
      '--graph-port',
      String(PORTS.graph),
      '--state-dir',
      stateDir,
    ],
    { cwd: repoRoot, env },
  );
  const ready = path.join(stateDir, 'ready');
  await waitFor(
    'the emulators',
    () => fs.existsSync(ready),
    60_000,
    emulators.log,
  );
  const ids = readJson(ready);

  Object.assign(env, {
    AZURE_TENANT_ID: ids.tenantId,
    AWS_ACCESS_ENTRA_CLIENT_ID: '0a0b0c0d-0000-4000-8000-000000000001',
    AWS_ACCESS_ENTRA_CLIENT_SECRET: 'the-emulator-accepts-any-secret',
    AWS_ACCESS_AWS_APP_ID: ids.awsAppId,
  });
  const yarn = path.join(appDir, '.yarn/releases/yarn-4.13.0.cjs');
  // `yarn start` of the template: backstage-cli repo start (backend and frontend dev server).
  const app = start('app', 'node', [yarn, 'start'], { cwd: appDir, env });
  const backendUrl = `http://localhost:${PORTS.backend}`;
  await waitFor(
    'the backend (/api/aws-access/health)',
    async () => (await fetch(`${backendUrl}/api/aws-access/health`)).ok,
    8 * 60_000,
    app.log,
  );
  return { backendUrl, appLog: app.log };
}

async function checkApi({ backendUrl, appLog }) {
  // Sign in the way the template's app does (guest provider, here resolving to a seed user of the catalog).
  const signIn = async () => {
    const refresh = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!refresh.ok)
      throw new Error(
        `guest sign-in failed: ${refresh.status} ${await refresh.text()}`,
      );
    const token = (await refresh.json()).backstageIdentity.token;
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
    );
    if (claims.sub !== SEED_USER)
      throw new Error(`signed in as ${claims.sub}, expected ${SEED_USER}`);
    return { token, claims };
  };
  let { token } = await signIn();

  let lastStatus;
  const me = await waitFor(
    `GET /api/aws-access/me for ${SEED_USER} (first sync, msgraph ingestion)`,
    async () => {
      const response = await fetch(`${backendUrl}/api/aws-access/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      lastStatus = `${response.status} ${(await response.clone().text()).slice(
        0,
        300,
      )}`;
      if (response.status === 503 || response.status === 404) return undefined;
      if (!response.ok) throw new Error(lastStatus);
      return response.json();
    },
    5 * 60_000,
    appLog,
  ).catch(error => {
    throw new Error(`${error.message}\nlast answer: ${lastStatus}`);
  });
  if (me.user.entityRef !== SEED_USER)
    throw new Error(`/me answered for ${me.user.entityRef}`);
  const readOnly = me.grants.filter(
    g => g.permissionSet.name === 'DeveloperReadOnly',
  );
  if (
    readOnly.length !== 5 ||
    !readOnly.every(g => g.state === 'pending' || g.state === 'stuck')
  ) {
    throw new Error(
      `unexpected grants for Aamir: ${JSON.stringify(
        me.grants.map(g => [g.accountName, g.permissionSet.name, g.state]),
      )}`,
    );
  }
  console.log(
    `    /me: ${me.user.displayName}, ${me.grants.length} grants (${readOnly
      .map(g => `${g.accountName}:${g.state}`)
      .join(', ')})`,
  );

  // The README's sample policy is in force: Aamir reads his own group (conditional IS_GROUP_MEMBER), not drift.
  // Group claims come from the catalog at sign-in: sign in again now that msgraph has ingested Aamir (/me found
  // him), as a person signing in after the first ingestion would.
  const fresh = await waitFor(
    "a token with Aamir's Entra groups (msgraph ingestion)",
    async () => {
      const result = await signIn();
      // The token carries no ownership claims; the auth backend's userinfo has them (what the plugins use).
      const info = await fetch(`${backendUrl}/api/auth/v1/userinfo`, {
        headers: { authorization: `Bearer ${result.token}` },
      });
      const ent = info.ok ? (await info.json()).claims?.ent ?? [] : [];
      return ent.includes('group:default/aws-developers-readonly')
        ? result
        : undefined;
    },
    2 * 60_000,
    appLog,
  );
  token = fresh.token;
  const get = route =>
    fetch(`${backendUrl}/api/aws-access${route}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const group = await get(
    `/groups/${encodeURIComponent('group:default/aws-developers-readonly')}`,
  );
  if (group.status !== 200)
    throw new Error(
      `GET /groups/aws-developers-readonly for a member: ${
        group.status
      } ${await group.text()}`,
    );
  const drift = await get('/drift');
  if (drift.status !== 403)
    throw new Error(
      `GET /drift for a non-platform user: ${drift.status}, expected 403 from the sample policy`,
    );
  console.log('    sample permission policy: own group 200, /drift 403');
  writeJson(path.join(resultsDir, 'adoption-me.json'), me);
  return { token };
}

async function checkBrowser({ appLog }) {
  const appUrl = `http://localhost:${PORTS.app}`;
  await waitFor(
    'the app dev server',
    async () =>
      (await (await fetch(appUrl)).text()).includes('<div id="root">'),
    8 * 60_000,
    appLog,
  );
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
    );
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
    });
    const problems = [];
    page.on('pageerror', error =>
      problems.push(`page error: ${error.message}`),
    );
    await page.goto(`${appUrl}/aws-access`, { timeout: 180_000 });
    // The template's sign-in page offers the guest provider.
    const guest = page.getByRole('button', { name: /enter/i });
    const grantRow = page.getByTestId('grant-row').first();
    await Promise.race([
      guest.waitFor({ timeout: 180_000 }),
      grantRow.waitFor({ timeout: 180_000 }),
    ]);
    if (await guest.isVisible().catch(() => false)) {
      // After sign-in the app renders the route it was opened on.
      await guest.click();
    }
    await grantRow.waitFor({ timeout: 120_000 });
    const rows = await page.getByTestId('grant-row').count();
    const title = await page.getByText('My AWS access').first().isVisible();
    await page.screenshot({
      path: path.join(resultsDir, 'adoption.png'),
      fullPage: true,
    });
    if (rows < 5)
      throw new Error(
        `the page shows ${rows} grant rows, expected 5 (${problems.join(
          '; ',
        )})`,
      );
    console.log(
      `    page: ${rows} grant rows, title ${
        title ? 'shown' : 'missing'
      }; screenshot test-results/adoption.png`,
    );
  } catch (error) {
    const pages = browser.contexts().flatMap(c => c.pages());
    if (pages[0])
      await pages[0]
        .screenshot({
          path: path.join(resultsDir, 'adoption-failure.png'),
          fullPage: true,
        })
        .catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------------------

const started = Date.now();
let failed = false;
try {
  say(`Working in ${work}`);
  // --from start|api|browser reuses the app of an earlier --keep run in --workdir (for iterating on this script).
  const from = option('--from', 'pack');
  const order = ['pack', 'scaffold', 'pin', 'add', 'wire', 'start'];
  const included = name =>
    order.indexOf(name) >=
    order.indexOf(from === 'api' || from === 'browser' ? 'start' : from);
  if (included('pack')) await phase('pack', pack);
  if (included('scaffold')) await phase('scaffold', scaffold);
  if (included('pin')) await phase('pin', async () => pin());
  if (included('add')) await phase('add', add);
  if (included('wire')) await phase('wire', async () => wire());
  const stack = await phase('start', startStack);
  await phase('api', () => checkApi(stack));
  await phase('browser', () => checkBrowser(stack));
} catch (error) {
  failed = true;
  console.error(`\nadoption test FAILED: ${error.stack ?? error}`);
} finally {
  await stopAll();
  const total = Math.round((Date.now() - started) / 1000);
  writeJson(path.join(resultsDir, 'adoption-timings.json'), {
    totalSeconds: total,
    phases: timings,
    readmeSteps: steps,
    failed,
  });
  console.log(
    `\nPhases: ${timings
      .map(t => `${t.phase} ${t.seconds} s`)
      .join(', ')}; total ${total} s`,
  );
  console.log(
    `README steps carried out: ${steps.length} (listed in test-results/adoption-timings.json)`,
  );
  if (failed || flag('--keep')) {
    console.log(`The app and logs stay in ${work}`);
  } else {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
console.log(
  failed ? 'adoption: 0 passed, 1 failed' : 'adoption: 1 passed, 0 failed',
);
process.exit(failed ? 1 : 0);
