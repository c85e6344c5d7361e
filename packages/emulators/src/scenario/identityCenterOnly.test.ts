import {
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
} from '@aws-sdk/client-sso-admin';
import { ListUsersCommand } from '@aws-sdk/client-identitystore';
import { IDENTITY_CENTER_ONLY_SCENARIO } from '@aws-access/test-utils';
import fs from 'node:fs';
import { awsClients, graphClient } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';
import { startEmulators } from '../startEmulators';
import { ScenarioValidationError } from './errors';
import { loadScenario, parseScenario } from './parse';

/*
 * A scenario without `entra:`: Identity Center on its own directory. It loads, its users, groups and assignments
 * (to groups and to a user directly) exist in Identity Center, and the Graph emulator has no tenant to sign in to.
 */

const text = fs.readFileSync(IDENTITY_CENTER_ONLY_SCENARIO, 'utf8');

function problem(yaml: string): ScenarioValidationError {
  try {
    parseScenario(yaml, 'identity-center-only.yaml');
  } catch (error) {
    if (error instanceof ScenarioValidationError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioValidationError');
}

describe('a scenario without an Entra tenant', () => {
  it('should load, with Identity Center as the directory', () => {
    const scenario = loadScenario(IDENTITY_CENTER_ONLY_SCENARIO);
    expect(scenario.entra).toBeUndefined();
    expect(scenario.identityCenter.provisioned?.unmanaged?.users).toHaveLength(
      7,
    );
  });

  it('should name the field when it assigns an Entra group or user that cannot exist', () => {
    const withGroup = problem(
      text.replace('{ idcGroup: Data-Analysts,', '{ group: AWS-Data-Analysts,'),
    );
    expect(withGroup.path).toBe('identityCenter.assignments[3].group');
    expect(withGroup.problem).toMatch(
      /no entra section.*Entra group "AWS-Data-Analysts".*with idcGroup/,
    );
    const withUser = problem(
      text.replace('{ idcUser: priya,', '{ user: priya@example.com,'),
    );
    expect(withUser.path).toBe('identityCenter.assignments[4].user');
    expect(withUser.problem).toMatch(/with idcUser/);
  });

  it('should reject a direct assignment to a user Identity Center does not have', () => {
    const error = problem(
      text.replace('{ idcUser: priya,', '{ idcUser: pria,'),
    );
    expect(error.path).toBe('identityCenter.assignments[4].idcUser');
    expect(error.problem).toContain(
      'no unmanaged Identity Center user with userName "pria"',
    );
  });

  describe('in the emulators', () => {
    let emulators: Emulators;

    beforeAll(async () => {
      emulators = await startEmulators({
        scenario: IDENTITY_CENTER_ONLY_SCENARIO,
        awsPort: 0,
        graphPort: 0,
        autoScim: false,
      });
    });
    afterAll(() => emulators.close());

    it('should say it has no identity source', () => {
      expect(emulators.scenario.identitySource).toBe('none');
      expect(emulators.scenario.entra.users).toEqual([]);
    });

    it('should hold the users and the assignments to groups and to a user', async () => {
      const { ssoAdmin, identityStore } = awsClients(emulators);
      const [instance] = (await ssoAdmin.send(new ListInstancesCommand({})))
        .Instances!;
      const users = (
        await identityStore.send(
          new ListUsersCommand({ IdentityStoreId: instance.IdentityStoreId }),
        )
      ).Users!;
      expect(users.map(u => u.UserName).sort()).toEqual([
        'maria',
        'noah@example.com',
        'priya',
        'sara',
        'shen.li',
        'tom.becker',
        'tom.becker-admin',
      ]);
      // Nothing was provisioned: no user carries an external id.
      expect(users.every(u => !u.ExternalIds?.length)).toBe(true);
      const priya = users.find(u => u.UserName === 'priya')!;
      const dataLake = emulators.scenario.identityCenter.assignments.find(
        a => 'idcUser' in a.principal,
      )!;
      const { AccountAssignments } = await ssoAdmin.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: instance.InstanceArn,
          AccountId: '200000000006',
          PermissionSetArn: dataLake.permissionSetArn,
        }),
      );
      expect(AccountAssignments).toEqual([
        expect.objectContaining({
          PrincipalType: 'USER',
          PrincipalId: priya.UserId,
        }),
      ]);
    });

    it('should refuse every sign-in to Entra: there is no tenant', async () => {
      const { credential } = graphClient(emulators);
      // MSAL fails at the tenant's metadata, as it does for a tenant Entra never had.
      await expect(
        credential.getToken('https://graph.microsoft.com/.default'),
      ).rejects.toThrow(/endpoints_resolution_error/);
      const metadata = await fetch(
        `${emulators.loginAuthority}/v2.0/.well-known/openid-configuration`,
      );
      expect(metadata.status).toBe(400);
      expect((await metadata.json()).error_description).toMatch(
        /^AADSTS90002: Tenant '0{8}-0{4}-0{4}-0{4}-0{12}' not found/,
      );
      const msi = await fetch(
        `${emulators.managedIdentityEndpoint}?resource=https://graph.microsoft.com&api-version=2019-08-01`,
        { headers: { 'X-IDENTITY-HEADER': 'emulator' } },
      );
      expect(msi.status).toBe(400);
    });
  });
});
