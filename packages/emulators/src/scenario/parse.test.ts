import fs from 'node:fs';
import { SEED_SCENARIO } from '../__testUtils__/clients';
import { ScenarioValidationError } from './errors';
import { normalizeScenario } from './normalize';
import { loadScenario, parseScenario, validateScenario } from './parse';

const seedText = fs.readFileSync(SEED_SCENARIO, 'utf8');

function problems(text: string, file = 'broken.yaml'): ScenarioValidationError {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioValidationError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioValidationError');
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string) =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

describe('parseScenario', () => {
  it('should load the seed organization', () => {
    const scenario = loadScenario(SEED_SCENARIO);
    expect(scenario.entra!.users).toHaveLength(9);
    expect(scenario.entra!.groups.map(g => g.name)).toContain(
      'AWS-Data-Analysts',
    );
    expect(scenario.identityCenter.accounts).toHaveLength(12);
  });

  it('should name file, line, path and problem for an unknown field', () => {
    const text = seedText.replace(
      '{ upn: tom@example.com,',
      '{ upn: tom@example.com, colour: blue,',
    );
    const error = problems(text, 'seed-org.yaml');
    expect(error.file).toBe('seed-org.yaml');
    expect(error.line).toBe(lineOf(text, 'colour: blue'));
    expect(error.path).toBe('entra.users[5].colour');
    expect(error.problem).toMatch(/unknown field "colour"/);
    expect(error.message).toContain(`seed-org.yaml:${error.line}:`);
  });

  it('should explain an unquoted account id', () => {
    const text = seedText.replace('id: "200000000003"', 'id: 200000000003');
    const error = problems(text);
    expect(error.path).toBe('identityCenter.accounts[5].id');
    expect(error.line).toBe(lineOf(text, 'id: 200000000003'));
    expect(error.problem).toMatch(/must be a string.*quote it/);
  });

  it('should report dangling references with their path', () => {
    const text = seedText.replace(
      'members: [olu@example.com, sara@example.com], owners: [sara@example.com], assignedToAwsApp: true',
      'members: [olu@example.com, sarah@example.com], owners: [sara@example.com], assignedToAwsApp: true',
    );
    const error = problems(text);
    expect(error.path).toBe('entra.groups[2].members[1]');
    expect(error.problem).toContain(
      '"sarah@example.com" is neither an Entra user',
    );
    expect(error.line).toBe(lineOf(text, 'sarah@example.com'));
  });

  it('should reject an assignment to a group SCIM never provisions', () => {
    const text = seedText.replace(
      '- { group: AWS-Data-Analysts, permissionSet: DataAnalyst',
      '- { group: Data-Team, permissionSet: DataAnalyst',
    );
    expect(problems(text).problem).toMatch(/not assigned to the AWS app/);
  });

  it('should reject drift that could not happen', () => {
    const text = seedText.replace(
      '- activeUser: { user: alex@example.com }',
      '- activeUser: { user: maria@example.com }',
    );
    const error = problems(text);
    expect(error.path).toBe(
      'identityCenter.provisioned.drift[4].activeUser.user',
    );
    expect(error.problem).toMatch(/enabled and in scope/);
  });

  it('should report enum problems, missing fields and YAML syntax errors', () => {
    expect(
      problems(seedText.replace('status: Active', 'status: Running')).problem,
    ).toMatch(/one of Active, Paused, Quarantine, NotRun/);
    const missing = problems(seedText.replace('  domain: example.com\n', ''));
    expect(missing.path).toBe('entra.domain');
    expect(missing.problem).toMatch(/required field "domain" is missing/);
    const syntax = problems('version: 1\nentra: [unclosed\n');
    expect(syntax.path).toBe('(yaml)');
    expect(syntax.line).toBeGreaterThan(0);
  });

  it('should list every issue', () => {
    const error = problems(
      seedText
        .replace('status: Active', 'status: Running')
        .replace('region: us-east-1', 'region: moon'),
    );
    expect(error.issues).toHaveLength(2);
    expect(error.message).toMatch(/and 1 more/);
  });

  it('should validate scenario objects without line numbers', () => {
    const scenario = loadScenario(SEED_SCENARIO);
    const broken = {
      ...scenario,
      identityCenter: { ...scenario.identityCenter, region: 'nowhere' },
    };
    expect(() => validateScenario(broken, 'generated')).toThrow(
      /generated: identityCenter.region/,
    );
  });
});

describe('normalizeScenario', () => {
  const seed = normalizeScenario(loadScenario(SEED_SCENARIO));

  it('should generate the same ids on every load', () => {
    const again = normalizeScenario(parseScenario(seedText, 'copy.yaml'));
    expect(again.entra.users.map(u => u.id)).toEqual(
      seed.entra.users.map(u => u.id),
    );
    expect(again.identityCenter.permissionSets.map(p => p.arn)).toEqual(
      seed.identityCenter.permissionSets.map(p => p.arn),
    );
  });

  it('should generate ids in the real formats', () => {
    const user = seed.entra.users[0];
    expect(user.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(user.identityStoreUserId).toMatch(
      /^9067a1b2c3-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(seed.identityCenter.permissionSets[0].arn).toMatch(
      /^arn:aws:sso:::permissionSet\/ssoins-7223a1b2c3d4e5f6\/ps-[0-9a-f]{16}$/,
    );
    expect(seed.identityCenter.organization.rootId).toMatch(/^r-[0-9a-z]{4}$/);
    expect(
      seed.identityCenter.organization.organizationalUnits.map(o => o.path),
    ).toEqual(
      expect.arrayContaining([
        'Security',
        'Workloads',
        'Workloads/Dev',
        'Workloads/Staging',
        'Workloads/Prod',
        'Sandbox',
      ]),
    );
    expect(seed.identityCenter.scimIssuer).toMatch(
      /^https:\/\/scim\.aws\.com\/.+/,
    );
  });

  it('should apply the defaults', () => {
    const group = seed.entra.groups.find(
      g => g.name === 'AWS-Developers-ReadOnly',
    )!;
    expect(group).toMatchObject({
      securityEnabled: true,
      mailNickname: 'AWS-Developers-ReadOnly',
    });
    expect(
      seed.entra.users.find(u => u.upn === 'aamir@example.com'),
    ).toMatchObject({ mail: 'aamir@example.com', enabled: true });
    expect(
      seed.identityCenter.permissionSets.find(
        p => p.name === 'DeveloperPowerUser',
      )!.inlinePolicy,
    ).toContain('iam:PassRole');
  });

  it('should expand "*" to every ACTIVE account', () => {
    const admin = seed.identityCenter.assignments.find(
      a => a.permissionSet === 'DeveloperAdmin',
    )!;
    expect(admin.accounts).toHaveLength(12);
  });

  it("should give a mover's removal the time of the same move", () => {
    const extra = seed.identityCenter.provisioned.drift.find(
      d => d.kind === 'extraMember',
    );
    expect(extra).toMatchObject({
      user: 'shen.li@example.com',
      sinceSeconds: 900,
    });
  });
});
