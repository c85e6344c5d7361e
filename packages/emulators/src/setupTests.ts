// Jest's 5 s default fails integration tests (emulators, databases, key generation) on a loaded two-core CI
// machine, where a test that takes 2 s alone can take 20 s. Tests that need longer still say so themselves;
// a project-level `testTimeout` in package.json is dropped by `backstage-cli repo test`, so it is set here.
jest.setTimeout(60_000);
