import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole board renders in some tests; on a loaded machine (parallel packages, CI with two workers) the first
// render of a file can take longer than Testing Library's default of one second.
configure({ asyncUtilTimeout: 4000 });
