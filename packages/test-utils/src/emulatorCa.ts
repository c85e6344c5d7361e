import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './scenarios';

/**
 * Whether this process trusts the emulators' CA through NODE_EXTRA_CA_CERTS, which `./run test` and
 * `./run test-package` export (Node reads it only at start-up). The Graph emulator speaks TLS, so tests that
 * run the real backend plugin against it need that trust.
 */
export function emulatorCaTrusted(): boolean {
  const stateDir =
    process.env.EMULATOR_STATE ?? path.join(REPO_ROOT, '.emulators');
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  try {
    const ca = fs.readFileSync(path.join(stateDir, 'ca.pem'), 'utf8').trim();
    return Boolean(bundle) && fs.readFileSync(bundle!, 'utf8').includes(ca);
  } catch {
    return false;
  }
}
