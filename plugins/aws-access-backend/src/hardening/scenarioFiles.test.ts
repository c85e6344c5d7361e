import { ScenarioValidationError, parseScenario } from '@aws-access/emulators';
import fs from 'node:fs';
import { HOSTILE_SCENARIO, SEED_SCENARIO } from '@aws-access/test-utils';

/*
 * Issue 11, bad input: scenario files. The emulators' own tests cover unknown fields, dangling references, enums,
 * YAML syntax and impossible drift; these are the cases they do not: duplicates, over-long names, cycles, and the
 * hostile scenario the hardening tests use (it must load, hostile as it is).
 */

const seed = fs.readFileSync(SEED_SCENARIO, 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseScenario(text, 'bad.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioValidationError)) throw error;
    return error.issues.map(i => `${i.path}: ${i.problem}`);
  }
}

describe('scenario files the emulators must refuse', () => {
  it.each([
    [
      'a duplicate user',
      seed.replace(
        '    - { upn: shen.li@example.com',
        '    - { upn: aamir@example.com, displayName: Twin }\n    - { upn: shen.li@example.com',
      ),
      /aamir@example.com|duplicate|unique/i,
    ],
    [
      'a duplicate group',
      seed.replace(
        '    - { name: Data-Team,',
        '    - { name: Backend-Team }\n    - { name: Data-Team,',
      ),
      /Backend-Team|duplicate|unique/i,
    ],
    [
      'a duplicate account id',
      seed.replace(
        '    - { id: "200000000009"',
        '    - { id: "200000000001", name: twin, email: aws+twin@example.com }\n    - { id: "200000000009"',
      ),
      /200000000001|duplicate|unique/i,
    ],
    [
      'a 257-character group name',
      seed.replace('name: Data-Team,', `name: ${'g'.repeat(257)},`),
      /256|long|length/i,
    ],
    [
      'a duplicate key',
      seed.replace(
        '  domain: example.com',
        '  domain: example.com\n  domain: example.org',
      ),
      /domain|duplicate|unique/i,
    ],
    [
      'a group nested in itself',
      seed.replace(
        'members: [noah@example.com], assignedToAwsApp: false }',
        'members: [noah@example.com, AWS-Data-Analysts], assignedToAwsApp: false }',
      ),
      /cycle|itself|nest/i,
    ],
  ])('%s', (_what, text, problem) => {
    const problems = problemsOf(text);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('loads the hostile scenario of the hardening tests', () => {
    const hostile = fs.readFileSync(HOSTILE_SCENARIO, 'utf8');
    expect(problemsOf(hostile)).toEqual([]);
  });
});
