import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';

/** The repository root: this private package only ever runs from its place in the repository. */
export const REPO_ROOT = path.resolve(
  resolvePackagePath('@aws-access/test-utils'),
  '../..',
);

/** The seed organization (the demo's): joiner, mover and leaver caught mid-provisioning. */
export const SEED_SCENARIO = path.join(
  REPO_ROOT,
  'examples/scenarios/seed-org.yaml',
);

/**
 * The seed organization with hostile names: unicode, bidi control characters, 256-character and look-alike
 * names, HTML, spreadsheet formulas.
 */
export const HOSTILE_SCENARIO = path.join(
  REPO_ROOT,
  'examples/scenarios/hostile-org.yaml',
);

/**
 * An onboarding baseline over the seed organization with exactly one missing assignment: sandbox-1 lacks
 * AWS-Developers-ReadOnly → DeveloperReadOnly (`awsAccess.baseline`).
 */
export const SEED_SANDBOX_BASELINE = {
  rules: [
    {
      name: 'sandbox',
      accounts: { name: 'sandbox-1' },
      require: [
        {
          group: 'AWS-Developers-ReadOnly',
          permissionSet: 'DeveloperReadOnly',
        },
      ],
    },
  ],
};

/**
 * An organisation whose Identity Center uses its own directory: no Entra tenant, users matched to catalog users
 * by user name or email (two of them share an email on purpose).
 */
export const IDENTITY_CENTER_ONLY_SCENARIO = path.join(
  REPO_ROOT,
  'examples/scenarios/identity-center-only.yaml',
);
