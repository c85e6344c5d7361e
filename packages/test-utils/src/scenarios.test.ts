import { parseScenario } from '@aws-access/emulators';
import fs from 'node:fs';
import path from 'node:path';
import {
  HOSTILE_SCENARIO,
  IDENTITY_CENTER_ONLY_SCENARIO,
  REPO_ROOT,
  SEED_SCENARIO,
} from './scenarios';

describe('scenario paths', () => {
  it('should find the repository root', () => {
    const root = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
    );
    expect(root.workspaces).toEqual(['packages/*', 'plugins/*']);
  });

  it.each([
    ['seed', SEED_SCENARIO],
    ['hostile', HOSTILE_SCENARIO],
    ['Identity-Center-only', IDENTITY_CENTER_ONLY_SCENARIO],
  ])(
    'should point at the %s scenario, which the emulators load',
    (_name, file) => {
      const scenario = parseScenario(fs.readFileSync(file, 'utf8'), file);
      expect(scenario.identityCenter.accounts.length).toBeGreaterThan(0);
    },
  );
});
