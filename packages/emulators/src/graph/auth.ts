import {
  constants,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  randomBytes,
  randomInt,
  verify,
} from 'node:crypto';
import type { EmulatorRequest, Reply } from '../http';
import { jsonReply } from '../http';
import { guidFrom, hexFrom } from '../ids';
import type { EmulatorRuntime } from '../runtime';
import type { ScenarioEntraCloud } from '../scenario/types';
import { invalidToken } from './errors';

/*
 * The login side: OIDC metadata (the four keys MSAL checks, issuer on the same host), the v2.0 client-credentials
 * token endpoint, JWKS, and the managed-identity endpoints (App Service `IDENTITY_ENDPOINT` and IMDS) that
 * DefaultAzureCredential uses. Tokens are RS256 JWTs signed with the emulator's key; Graph accepts only those.
 * The token endpoint gives them only to the scenario's app registrations, with their secret or certificate, and
 * they expire by the emulator clock (60 to 90 minutes, as Entra's, unless the settings fix a lifetime).
 */

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  appid: string;
  tid: string;
  oid: string;
  roles: string[];
}

/** Each Microsoft cloud's Graph resource, the only audience its tokens may name (learn.microsoft.com/graph/deployments). */
const GRAPH_RESOURCE: Record<ScenarioEntraCloud, string> = {
  public: 'https://graph.microsoft.com',
  usGov: 'https://graph.microsoft.us',
  usGovDoD: 'https://dod-graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
};
/** Graph's application id, which names the same resource in every cloud. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The Graph audiences of this tenant's cloud: its URL and Graph's application id. */
function graphAudiences(runtime: EmulatorRuntime): string[] {
  return [GRAPH_RESOURCE[runtime.scenario.entra.cloud], GRAPH_APP_ID];
}

export function createSigningKey(leafKeyPem: string) {
  const privateKey = createPrivateKey(leafKeyPem);
  const publicKeyPem = createPublicKey(privateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    privateKeyPem: leafKeyPem,
    publicKeyPem,
    kid: hexFrom(27, publicKeyPem),
  };
}

const b64 = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Entra gives app tokens a lifetime between 60 and 90 minutes, varying from token to token. */
function tokenLifetime(runtime: EmulatorRuntime): number {
  return (
    runtime.world.settings.graphTokenLifetimeSeconds || randomInt(3600, 5401)
  );
}

function issueToken(
  runtime: EmulatorRuntime,
  claims: { appid: string; aud: string },
): { token: string; expiresOn: number; expiresIn: number } {
  // The emulator clock: a test that moves it past a token's life sees Graph refuse the token, as after that time.
  const now = Math.floor(runtime.world.clock.nowMs() / 1000);
  const lifetime = tokenLifetime(runtime);
  const { tenantId } = runtime.world;
  const payload: TokenClaims & Record<string, unknown> = {
    aud: claims.aud,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now,
    nbf: now - 60,
    exp: now + lifetime,
    appid: claims.appid,
    azp: claims.appid,
    idtyp: 'app',
    oid: guidFrom(tenantId, 'servicePrincipal-of', claims.appid),
    // What the tenant consented to; read when the token is issued, like Entra.
    roles: [...runtime.world.settings.graphAppRoles],
    sub: guidFrom(tenantId, 'servicePrincipal-of', claims.appid),
    tid: tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  const header = { typ: 'JWT', alg: 'RS256', kid: runtime.signingKey.kid };
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(runtime.signingKey.privateKeyPem)
    .toString('base64url');
  return {
    token: `${unsigned}.${signature}`,
    expiresOn: payload.exp,
    expiresIn: lifetime,
  };
}

/** Checks a Graph request's bearer token; answers the caller's appid or throws 401 InvalidAuthenticationToken. */
export function authenticate(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
): TokenClaims {
  const header = request.headers.authorization;
  if (!header) throw invalidToken('Access token is empty.');
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
  const parts = token.split('.');
  if (parts.length !== 3)
    throw invalidToken(
      'IDX14100: JWT is not well formed, there are no dots (.).',
    );
  const valid = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(
      runtime.signingKey.publicKeyPem,
      Buffer.from(parts[2], 'base64url'),
    );
  if (!valid)
    throw invalidToken('Access token validation failure. Invalid signature.');
  const claims = JSON.parse(
    Buffer.from(parts[1], 'base64url').toString('utf8'),
  ) as TokenClaims;
  if (claims.exp * 1000 <= runtime.world.clock.nowMs())
    throw invalidToken('Lifetime validation failed, the token is expired.');
  if (claims.tid !== runtime.world.tenantId)
    throw invalidToken('Access token validation failure. Invalid audience.');
  return claims;
}

function loginError(status: number, error: string, description: string): Reply {
  const traceId = guidFrom('trace', String(Date.now()), description);
  return jsonReply(status, {
    error,
    error_description: `${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${traceId}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
    timestamp: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z'),
    trace_id: traceId,
    correlation_id: traceId,
  });
}

/** What Entra answers for a resource the tenant has no service principal for (AADSTS500011). */
function unknownResource(runtime: EmulatorRuntime, audience: string): Reply {
  return loginError(
    400,
    'invalid_resource',
    `AADSTS500011: The resource principal named ${audience} was not found in the tenant named ${runtime.world.domain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );
}

function knownTenant(runtime: EmulatorRuntime, tenant: string): boolean {
  // A scenario without `entra:` has no tenant at all: every sign-in is refused, as for a tenant that was never made.
  if (runtime.world.scenario.identitySource === 'none') return false;
  return [
    runtime.world.tenantId,
    'organizations',
    'common',
    runtime.world.domain,
  ].includes(tenant.toLowerCase());
}

export function openIdConfiguration(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  tenant: string,
): Reply {
  if (!knownTenant(runtime, tenant)) {
    return loginError(
      400,
      'invalid_tenant',
      `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  const base = `${request.origin}/${runtime.world.tenantId}`;
  return jsonReply(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      'id_token token',
    ],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${request.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: request.url.host,
    rbac_url: 'https://pas.windows.net',
  });
}

export function jwks(runtime: EmulatorRuntime): Reply {
  const jwk = createPublicKey(runtime.signingKey.publicKeyPem).export({
    format: 'jwk',
  });
  return jsonReply(200, {
    keys: [{ kty: 'RSA', use: 'sig', kid: runtime.signingKey.kid, ...jwk }],
  });
}

/**
 * The client's credentials against the scenario's app registrations: an unknown client id → 400
 * `unauthorized_client` (AADSTS700016), a wrong secret → 401 `invalid_client` (AADSTS7000215), an assertion not
 * signed with the registered certificate → 401 `invalid_client` (AADSTS700027). Answers nothing when they hold.
 */
function checkClient(
  runtime: EmulatorRuntime,
  clientId: string,
  form: URLSearchParams,
  request: EmulatorRequest,
): Reply | undefined {
  const registration = runtime.scenario.entra.appRegistrations.find(
    r => r.clientId === clientId.toLowerCase(),
  );
  if (!registration) {
    return loginError(
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${runtime.world.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  if (secret !== null) {
    return secret === registration.clientSecret
      ? undefined
      : loginError(
          401,
          'invalid_client',
          `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        );
  }
  const assertion = form.get('client_assertion') ?? '';
  return registration.certificate &&
    form.get('client_assertion_type') ===
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
    assertionValid(assertion, registration.certificate, clientId, request)
    ? undefined
    : loginError(
        401,
        'invalid_client',
        `AADSTS700027: Client assertion failed signature validation. (Reason - The key was not found.) Thumbprint of key used by client: '${assertionThumbprint(
          assertion,
        )}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.`,
      );
}

function decodePart(part: string | undefined): Record<string, any> {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

function assertionThumbprint(assertion: string): string {
  const header = decodePart(assertion.split('.')[0]);
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  return typeof thumbprint === 'string'
    ? Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase()
    : '';
}

/** A client assertion (RS256 or PS256) signed with the certificate's key, by this client, for this endpoint. */
function assertionValid(
  assertion: string,
  certificatePem: string,
  clientId: string,
  request: EmulatorRequest,
): boolean {
  const [head, body, signature] = assertion.split('.');
  if (!head || !body || !signature) return false;
  const header = decodePart(head);
  const claims = decodePart(body);
  const key = createPublicKey(certificatePem);
  const data = Buffer.from(`${head}.${body}`);
  const sig = Buffer.from(signature, 'base64url');
  const signed =
    header.alg === 'PS256'
      ? verify(
          'sha256',
          data,
          {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: 32,
          },
          sig,
        )
      : header.alg === 'RS256' && verify('sha256', data, key, sig);
  // The assertion is made on the client's clock, so its expiry is checked against real time, not the emulator's.
  return (
    signed &&
    claims.iss === clientId &&
    claims.sub === clientId &&
    typeof claims.aud === 'string' &&
    claims.aud.startsWith(request.origin) &&
    typeof claims.exp === 'number' &&
    claims.exp * 1000 > Date.now() - 300_000
  );
}

/** POST /{tenant}/oauth2/v2.0/token, client-credentials grant (secret or assertion). */
export function tokenEndpoint(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  tenant: string,
): Reply {
  if (!knownTenant(runtime, tenant)) {
    return loginError(
      400,
      'invalid_tenant',
      `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  const form = new URLSearchParams(request.body.toString('utf8'));
  const grant = form.get('grant_type');
  const clientId = form.get('client_id');
  const scope = form.get('scope') ?? '';
  if (grant !== 'client_credentials') {
    return loginError(
      400,
      'unsupported_grant_type',
      `AADSTS70003: The app requested an unsupported grant type '${
        grant ?? ''
      }'.`,
    );
  }
  if (!clientId)
    return loginError(
      400,
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
    );
  if (!form.get('client_secret') && !form.get('client_assertion')) {
    return loginError(
      401,
      'invalid_client',
      "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  }
  const resource = scope.split(' ').find(s => s.endsWith('/.default'));
  if (!resource) {
    return loginError(
      400,
      'invalid_scope',
      `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const refused = checkClient(runtime, clientId, form, request);
  if (refused) return refused;
  // Entra knows Graph by its cloud's resource name, never by the host a client sends Graph requests to.
  const audience = resource.slice(0, -'/.default'.length).replace(/\/+$/, '');
  if (!graphAudiences(runtime).includes(audience)) {
    return unknownResource(runtime, audience);
  }
  const { token, expiresIn } = issueToken(runtime, {
    appid: clientId,
    aud: audience,
  });
  return jsonReply(200, {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  });
}

/** App Service managed identity (`IDENTITY_ENDPOINT` + `X-IDENTITY-HEADER`) and IMDS (`Metadata: true`). */
export function managedIdentity(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  flavour: 'appService' | 'imds',
): Reply {
  const resource = request.url.searchParams.get('resource');
  if (flavour === 'appService' && !request.headers['x-identity-header']) {
    return jsonReply(400, {
      statusCode: 400,
      message: 'The X-IDENTITY-HEADER header is missing.',
    });
  }
  if (
    flavour === 'imds' &&
    String(request.headers.metadata).toLowerCase() !== 'true'
  ) {
    return jsonReply(400, {
      error: 'invalid_request',
      error_description: 'Required metadata header not specified',
    });
  }
  if (!resource)
    return jsonReply(400, {
      statusCode: 400,
      message: "The 'resource' query parameter is required.",
    });
  if (runtime.world.scenario.identitySource === 'none')
    return jsonReply(400, {
      error: 'invalid_request',
      error_description: 'Identity not found',
    });
  // Backstage's msgraph module asks for its target's host (`https://127.0.0.1/.default` here): that host stands for
  // Graph on these endpoints alone, which only the demo's catalog module uses. Any other resource is refused.
  const audience = resource.replace(/\/+$/, '');
  const ownHost = `https://${request.url.hostname}`;
  if (![...graphAudiences(runtime), ownHost].includes(audience)) {
    return unknownResource(runtime, audience);
  }
  const clientId =
    request.url.searchParams.get('client_id') ??
    guidFrom(runtime.world.tenantId, 'managed-identity');
  const { token, expiresOn, expiresIn } = issueToken(runtime, {
    appid: clientId,
    aud: audience === ownHost ? graphAudiences(runtime)[0] : audience,
  });
  const base = {
    access_token: token,
    expires_on: String(expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: clientId,
  };
  return jsonReply(
    200,
    flavour === 'imds'
      ? {
          ...base,
          expires_in: String(expiresIn),
          ext_expires_in: String(expiresIn),
          not_before: String(expiresOn - expiresIn),
        }
      : base,
  );
}
