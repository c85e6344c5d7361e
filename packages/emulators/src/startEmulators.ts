import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { handleAws } from './aws/router';
import { EmulatorControlClient } from './control/client';
import { handleControl } from './control/routes';
import { createSigningKey } from './graph/auth';
import { handleGraph } from './graph/router';
import type { RunningServer } from './http';
import { startServer } from './http';
import { EmulatorRuntime } from './runtime';
import type { NormalizedScenario } from './scenario/normalized';
import { normalizeScenario } from './scenario/normalize';
import { loadScenario, validateScenario } from './scenario/parse';
import type { Scenario } from './scenario/types';
import { ensureCertificateAuthority, ensureLeafCertificate } from './tls';

/** @public */
export interface StartEmulatorsOptions {
  /** A scenario file path, or a scenario object (parseScenario, generateScenario). */
  scenario: string | Scenario;
  /** 0 = any free port (the default). */
  awsPort?: number;
  graphPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the CA lives: default $EMULATOR_STATE, else `<repo>/.emulators`. */
  stateDir?: string;
  /** Overrides the scenario's provisioning interval (the demo uses 60). */
  scimIntervalSeconds?: number;
  /** Run SCIM cycles on the interval (default true). */
  autoScim?: boolean;
  /**
   * Check that this process trusts the emulator's CA (NODE_EXTRA_CA_CERTS) and fail with instructions if not.
   * Default 'error'; the CLI uses 'off' (it serves, it does not call).
   */
  trustCheck?: 'error' | 'warn' | 'off';
  /** Errors inside handlers (bugs) are reported here; default console.error. */
  onError?: (error: unknown) => void;
}

/** @public */
export interface Emulators {
  /** `http://127.0.0.1:PORT`: SSO Admin, Identity Store, Organizations, STS, SQS and the control API. */
  awsEndpoint: string;
  /** `https://127.0.0.1:PORT`: Graph at /v1.0, login at /<tenant>/oauth2/v2.0/token, MSI at /msi/token. */
  graphBaseUrl: string;
  graphHost: string;
  /** `https://127.0.0.1:PORT/<tenantId>` (MSAL authority). */
  loginAuthority: string;
  /** `https://127.0.0.1:PORT/msi/token` (IDENTITY_ENDPOINT for DefaultAzureCredential). */
  managedIdentityEndpoint: string;
  controlUrl: string;
  caCertPath: string;
  scenario: NormalizedScenario;
  control: EmulatorControlClient;
  close(): Promise<void>;
}

/** `$EMULATOR_STATE`, else `<repo>/.emulators` (the repo: the nearest package.json with workspaces). */
export function defaultStateDir(): string {
  if (process.env.EMULATOR_STATE)
    return path.resolve(process.env.EMULATOR_STATE);
  // Start from this package (tests in other packages, ./run from the root), found through module resolution.
  for (const start of [
    path.dirname(require.resolve('../package.json')),
    process.cwd(),
  ]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (
        fs.existsSync(pkg) &&
        JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces
      )
        return path.join(dir, '.emulators');
      if (path.dirname(dir) === dir) break;
    }
  }
  return path.join(process.cwd(), '.emulators');
}

/**
 * Starts the AWS (HTTP) and Graph/login (HTTPS) emulators for a scenario.
 *
 * @public
 */
export async function startEmulators(
  options: StartEmulatorsOptions,
): Promise<Emulators> {
  const scenario =
    typeof options.scenario === 'string'
      ? loadScenario(options.scenario)
      : validateScenario(options.scenario);
  const normalized = normalizeScenario(scenario);
  const stateDir = options.stateDir ?? defaultStateDir();
  const ca = await ensureCertificateAuthority(stateDir);
  const leaf = ensureLeafCertificate(stateDir, ca);
  const host = options.host ?? '127.0.0.1';
  const onError =
    options.onError ??
    ((error: unknown) => console.error('[emulators]', error));

  const runtime = EmulatorRuntime.create({
    scenario: normalized,
    signingKey: createSigningKey(leaf.keyPem),
    scimIntervalSeconds: options.scimIntervalSeconds,
    autoScim: options.autoScim ?? true,
  });

  const servers: RunningServer[] = [];
  try {
    servers.push(
      await startServer({
        host,
        port: options.awsPort ?? 0,
        onError,
        handler: async request =>
          request.url.pathname === '/_emulator' ||
          request.url.pathname.startsWith('/_emulator/')
            ? handleControl(request, runtime)
            : handleAws(request, runtime),
      }),
    );
    servers.push(
      await startServer({
        host,
        port: options.graphPort ?? 0,
        tls: { cert: `${leaf.certPem}${ca.certPem}`, key: leaf.keyPem },
        onError,
        handler: request => handleGraph(request, runtime),
      }),
    );
  } catch (error) {
    await Promise.all(servers.map(s => s.close()));
    throw error;
  }
  const [aws, graph] = servers;
  const graphHost = `${host}:${graph.port}`;
  const emulators: Emulators = {
    awsEndpoint: `http://${host}:${aws.port}`,
    graphBaseUrl: `https://${graphHost}`,
    graphHost,
    loginAuthority: `https://${graphHost}/${normalized.entra.tenantId}`,
    managedIdentityEndpoint: `https://${graphHost}/msi/token`,
    controlUrl: `http://${host}:${aws.port}/_emulator`,
    caCertPath: ca.certPath,
    scenario: normalized,
    control: EmulatorControlClient.create({
      baseUrl: `http://${host}:${aws.port}/_emulator`,
    }),
    close: async () => {
      runtime.scim.stop();
      runtime.sqs.stop();
      await Promise.all(servers.map(s => s.close()));
    },
  };
  runtime.scim.start();

  const trust = options.trustCheck ?? 'error';
  if (trust !== 'off') {
    const problem = await trustProblem(emulators.graphBaseUrl, ca.certPath);
    if (problem && trust === 'error') {
      await emulators.close();
      throw new Error(problem);
    }
    if (problem) console.warn(`[emulators] ${problem}`);
  }
  return emulators;
}

/** Calls the Graph emulator with Node's default trust store: the same check every client in this process makes. */
function trustProblem(
  baseUrl: string,
  caPath: string,
): Promise<string | undefined> {
  return new Promise(resolve => {
    const request = https.get(`${baseUrl}/_health`, response => {
      response.resume();
      resolve(undefined);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const current = process.env.NODE_EXTRA_CA_CERTS;
      resolve(
        `This process does not trust the Graph emulator's certificate (${
          error.code ?? error.message
        }). It is issued by the CA at ${caPath}, ` +
          `but NODE_EXTRA_CA_CERTS is ${
            current ? `"${current}"` : 'not set'
          } (Node reads it once, at start-up). ` +
          `Run tests through ./run test, or export NODE_EXTRA_CA_CERTS=${caPath} before starting Node ` +
          `(create the CA first with: node packages/emulators/bin/aws-access-emulators --init-ca).`,
      );
    });
    request.setTimeout(5000, () => request.destroy(new Error('timeout')));
  });
}
