/*
 * The CA bundle a bench run trusts (NODE_EXTRA_CA_CERTS): the caller's bundle, if any, and the emulators' CA of
 * the checkout the run comes from. Every checkout has its own CA, and Node reads the bundle again in every
 * backend the run starts, hours later at `large`: one path shared by all runs let a second run (another
 * checkout's) replace the CA under the first, whose next backend then failed its first Graph token with MSAL's
 * `endpoints_resolution_error` (the TLS failure, swallowed). So each run writes its own bundle and removes it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Writes this run's bundle into a directory of its own; `remove()` deletes it once the run is over. */
function writeRunBundle({ caPath, extra, tmpdir = os.tmpdir() }) {
  const dir = fs.mkdtempSync(path.join(tmpdir, 'aws-access-bench-cas-'));
  const bundle = path.join(dir, 'trusted-cas.pem');
  const parts = [fs.readFileSync(caPath, 'utf8')];
  if (extra && fs.existsSync(extra))
    parts.unshift(fs.readFileSync(extra, 'utf8'));
  fs.writeFileSync(bundle, parts.join('\n'));
  return {
    bundle,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

module.exports = { writeRunBundle };
