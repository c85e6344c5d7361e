import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  appUrl,
  backendUrl,
  repoRoot,
  resultsDir,
  stackPidFile,
} from './paths';

const STARTUP_TIMEOUT_MS = 6 * 60_000;

async function isUp(
  url: string,
  accept: (response: Response) => Promise<boolean>,
): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return await accept(response);
  } catch {
    return false;
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  deadline: number,
  log: string,
) {
  while (!(await check())) {
    if (Date.now() > deadline) {
      const tail = fs.existsSync(log)
        ? fs.readFileSync(log, 'utf8').split('\n').slice(-40).join('\n')
        : '';
      throw new Error(
        `The stack did not become ready: ${what} (waited ${
          STARTUP_TIMEOUT_MS / 1000
        }s)\n${tail}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 1_000));
  }
}

/**
 * Starts what `./run start` starts (emulators, backend :7007, app :3000) in its own process group, and waits
 * until the app is served and the catalog holds the scenario's users.
 */
export async function startStack(
  options: { scenario?: string; env?: Record<string, string> } = {},
) {
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const [name, url] of [
    ['backend', `${backendUrl}/api/aws-access/health`],
    ['app', appUrl],
  ]) {
    if (await isUp(url, async () => true)) {
      throw new Error(
        `Port of the ${name} is taken (${url} answers): stop the running ./run start first`,
      );
    }
  }
  const log = path.join(resultsDir, 'stack.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(path.join(repoRoot, 'run'), ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      // Jest sets NODE_ENV=test; the app's bundler would then look for a "test" browserslist (there is none, and
      // Rspack refuses the fallback). The stack runs as `./run start` does by hand.
      NODE_ENV: 'development',
      ...(options.scenario ? { SCENARIO: options.scenario } : {}),
      ...options.env,
      // The dev server must not try to open a browser window.
      BROWSER: 'none',
    },
  });
  fs.writeFileSync(stackPidFile, String(child.pid));

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  await waitFor(
    'backend health',
    () => isUp(`${backendUrl}/api/aws-access/health`, async r => r.ok),
    deadline,
    log,
  );
  await waitFor(
    'catalog users for the sign-in page',
    () =>
      isUp(
        `${backendUrl}/api/auth/dev-sign-in/users`,
        async r => r.ok && (await r.json()).users.length > 0,
      ),
    deadline,
    log,
  );
  await waitFor(
    'app',
    () =>
      isUp(
        appUrl,
        async r => r.ok && (await r.text()).includes('<div id="root">'),
      ),
    deadline,
    log,
  );
  // The dev server answers index.html before its bundle is built; a browser's first page load would then wait
  // on the compile (minutes on a loaded 2-core machine) and time out. Fetch the bundle once, here.
  await waitFor('app bundle', () => isBundleServed(), deadline, log);
}

/** Whether every script index.html names is served (the dev server holds them until compiled). */
async function isBundleServed(): Promise<boolean> {
  try {
    const html = await (
      await fetch(appUrl, { signal: AbortSignal.timeout(5_000) })
    ).text();
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map(
      match => new URL(match[1], appUrl).toString(),
    );
    if (scripts.length === 0) return false;
    for (const script of scripts) {
      const response = await fetch(script, {
        signal: AbortSignal.timeout(120_000),
      });
      await response.arrayBuffer();
      if (!response.ok) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Stops the process group globalSetup started. */
export async function stopStack() {
  if (!fs.existsSync(stackPidFile)) return;
  const pid = Number(fs.readFileSync(stackPidFile, 'utf8'));
  fs.rmSync(stackPidFile);
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
