import path from 'node:path';

/** The repository root (this file is packages/e2e-tests/src/harness/paths.ts; the harness only runs from source). */
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../../..');
/** Screenshots for people to look at. */
export const resultsDir = path.join(repoRoot, 'test-results');
/** Where globalSetup records the stack's process group for globalTeardown. */
export const stackPidFile = path.join(repoRoot, 'test-results', '.stack.pid');

export const appUrl = 'http://localhost:3000';
export const backendUrl = 'http://localhost:7007';
export const awsEmulatorUrl = 'http://127.0.0.1:4566';
