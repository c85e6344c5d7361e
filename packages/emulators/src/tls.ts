import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/*
 * The Graph and login emulators must speak HTTPS (the Graph client attaches tokens only to https URLs, MSAL rejects
 * http authorities). A local CA is created once per state directory and trusted by Node through
 * NODE_EXTRA_CA_CERTS; the leaf certificate for 127.0.0.1/localhost is issued from it and cached next to it.
 */

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  /** Whether this call created the CA (first run). */
  created: boolean;
}

export interface LeafCertificate {
  certPem: string;
  keyPem: string;
}

const CA_CERT = 'ca.pem';
const CA_KEY = 'ca-key.pem';
const LEAF_CERT = 'leaf.pem';
const LEAF_KEY = 'leaf-key.pem';
const LEAF_HOSTS = ['127.0.0.1', 'localhost', '::1'];

/** Loads the CA from `stateDir`, creating it (once, even with concurrent callers) when missing. */
export async function ensureCertificateAuthority(
  stateDir: string,
): Promise<CertificateAuthority> {
  fs.mkdirSync(stateDir, { recursive: true });
  const certPath = path.join(stateDir, CA_CERT);
  const keyPath = path.join(stateDir, CA_KEY);
  const existing = readPair(certPath, keyPath);
  if (existing) {
    return { ...existing, certPath, keyPath, created: false };
  }

  // Parallel test workers may start at once: one creates, the others wait for its files.
  const lockPath = path.join(stateDir, '.ca.lock');
  let lock: number | undefined;
  try {
    lock = fs.openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  if (lock === undefined) {
    for (let i = 0; i < 100; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      const pair = readPair(certPath, keyPath);
      if (pair) {
        return { ...pair, certPath, keyPath, created: false };
      }
    }
    // A crashed creator left its lock behind: take over.
    fs.rmSync(lockPath, { force: true });
    return ensureCertificateAuthority(stateDir);
  }
  try {
    const pair = createCa();
    writeAtomic(keyPath, pair.keyPem, 0o600);
    writeAtomic(certPath, pair.certPem, 0o644);
    return { ...pair, certPath, keyPath, created: true };
  } finally {
    fs.closeSync(lock);
    fs.rmSync(lockPath, { force: true });
  }
}

/** The leaf certificate for the local hosts, reused while it is valid and signed by this CA. */
export function ensureLeafCertificate(
  stateDir: string,
  ca: CertificateAuthority,
): LeafCertificate {
  const certPath = path.join(stateDir, LEAF_CERT);
  const keyPath = path.join(stateDir, LEAF_KEY);
  const cached = readPair(certPath, keyPath);
  if (cached && isUsableLeaf(cached.certPem, ca.certPem)) {
    return cached;
  }
  const leaf = issueLeaf(ca);
  writeAtomic(keyPath, leaf.keyPem, 0o600);
  writeAtomic(certPath, leaf.certPem, 0o644);
  return leaf;
}

function createCa(): { certPem: string; keyPem: string } {
  const { publicKeyPem, privateKeyPem } = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: 'AWS Access for Backstage emulator CA' },
    { name: 'organizationName', value: 'aws-access-emulators' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

function issueLeaf(ca: CertificateAuthority): LeafCertificate {
  const { publicKeyPem, privateKeyPem } = rsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: LEAF_HOSTS.map(host =>
        /^[\d.:]+$/.test(host)
          ? { type: 7, ip: host }
          : { type: 2, value: host },
      ),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

function isUsableLeaf(certPem: string, caPem: string): boolean {
  try {
    const leaf = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const weekFromNow = Date.now() + 7 * 24 * 3600_000;
    return (
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey) &&
      new Date(leaf.validTo).getTime() > weekFromNow &&
      LEAF_HOSTS.every(host =>
        /^[\d.:]+$/.test(host) ? leaf.checkIP(host) : leaf.checkHost(host),
      )
    );
  } catch {
    return false;
  }
}

function rsaKeyPair() {
  // Node's native key generation: node-forge's pure-JS RSA would add seconds to start-up.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey
      .export({ type: 'pkcs1', format: 'pem' })
      .toString(),
  };
}

function serialNumber(): string {
  // Positive, non-zero: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString('hex');
}

function readPair(certPath: string, keyPath: string) {
  try {
    const certPem = fs.readFileSync(certPath, 'utf8');
    const keyPem = fs.readFileSync(keyPath, 'utf8');
    if (
      certPem.includes('BEGIN CERTIFICATE') &&
      keyPem.includes('PRIVATE KEY')
    ) {
      return { certPem, keyPem };
    }
  } catch {
    // missing: created below
  }
  return undefined;
}

function writeAtomic(file: string, content: string, mode: number) {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
