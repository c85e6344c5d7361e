import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_SCENARIO } from './__testUtils__/clients';
import { startEmulators } from './startEmulators';
import { ensureCertificateAuthority, ensureLeafCertificate } from './tls';

describe('local certificate authority', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulators-tls-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should create the CA once, even for concurrent callers, and reuse it', async () => {
    const [a, b, c] = await Promise.all([
      ensureCertificateAuthority(dir),
      ensureCertificateAuthority(dir),
      ensureCertificateAuthority(dir),
    ]);
    expect(new Set([a.certPem, b.certPem, c.certPem]).size).toBe(1);
    expect([a, b, c].filter(x => x.created)).toHaveLength(1);
    const again = await ensureCertificateAuthority(dir);
    expect(again).toMatchObject({
      created: false,
      certPem: a.certPem,
      certPath: path.join(dir, 'ca.pem'),
    });
    expect(fs.statSync(path.join(dir, 'ca-key.pem')).mode & 0o077).toBe(0);
    expect(new X509Certificate(a.certPem).ca).toBe(true);
  });

  it('should issue a leaf for 127.0.0.1 and localhost, signed by the CA, and cache it', async () => {
    const ca = await ensureCertificateAuthority(dir);
    const leaf = ensureLeafCertificate(dir, ca);
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(ensureLeafCertificate(dir, ca).certPem).toBe(leaf.certPem);
  });

  it('should refuse to start when this process does not trust the CA, and say what to do', async () => {
    // A fresh state dir means a CA that NODE_EXTRA_CA_CERTS does not name.
    await expect(
      startEmulators({
        scenario: SEED_SCENARIO,
        stateDir: dir,
        autoScim: false,
      }),
    ).rejects.toThrow(
      new RegExp(
        `issued by the CA at ${path
          .join(dir, 'ca.pem')
          .replace(
            /[.*+?^${}()|[\]\\]/g,
            '\\$&',
          )}.*Run tests through ./run test, or export NODE_EXTRA_CA_CERTS=`,
      ),
    );
  });
});
