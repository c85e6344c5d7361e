import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole board renders in some tests; on a loaded machine (parallel packages, CI with two workers) the first
// render of a file can take longer than Testing Library's default of one second.
configure({ asyncUtilTimeout: 4000 });

// Jest's 5 s default is too tight for a full dialog flow, or a polling component under fake timers, on a loaded
// two-core CI machine (a project-level `testTimeout` in package.json is dropped by `backstage-cli repo test`; this
// applies to every run).
jest.setTimeout(60_000);
