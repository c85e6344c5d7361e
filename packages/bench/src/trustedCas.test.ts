import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The launcher's helper is plain JavaScript next to it (bin/ runs before the TypeScript transform is loaded).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeRunBundle } = require('../bin/trustedCas') as {
  writeRunBundle(options: {
    caPath: string;
    extra?: string;
    tmpdir?: string;
  }): { bundle: string; remove(): void };
};

/*
 * Two bench runs from two checkouts (each has its own emulator CA) on one machine: each run's backends must go on
 * trusting its own emulators whatever the other run writes. With one bundle shared by every run, the second run
 * replaced the first's CA, and the first's rate-limited backend (started hours later at `large`) failed its
 * first Graph token with MSAL `endpoints_resolution_error`.
 */
describe('the bench launcher’s CA bundle', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cas-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps each run's CA, whatever another run writes after it", () => {
    const first = writeRunBundle({
      caPath: file('a.pem', 'CA OF CHECKOUT A'),
      tmpdir: dir,
    });
    const second = writeRunBundle({
      caPath: file('b.pem', 'CA OF CHECKOUT B'),
      tmpdir: dir,
    });
    expect(second.bundle).not.toBe(first.bundle);
    expect(fs.readFileSync(first.bundle, 'utf8')).toBe('CA OF CHECKOUT A');
    expect(fs.readFileSync(second.bundle, 'utf8')).toBe('CA OF CHECKOUT B');

    second.remove();
    expect(fs.existsSync(second.bundle)).toBe(false);
    expect(fs.readFileSync(first.bundle, 'utf8')).toBe('CA OF CHECKOUT A');
  });

  it('keeps the CAs the caller already trusts, before the emulators’', () => {
    const { bundle } = writeRunBundle({
      caPath: file('a.pem', 'EMULATOR CA'),
      extra: file('corporate.pem', 'CORPORATE CA'),
      tmpdir: dir,
    });
    expect(fs.readFileSync(bundle, 'utf8')).toBe('CORPORATE CA\nEMULATOR CA');
  });
});
