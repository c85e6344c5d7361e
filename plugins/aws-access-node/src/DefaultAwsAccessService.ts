import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseJsonInSlices } from './parseJsonInSlices';
import type {
  ApplyResult,
  CatalogProjection,
  OnboardingPlan,
  SyncStatus,
} from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from './AwsAccessService';

/**
 * Calls the aws-access backend plugin over HTTP. Without explicit credentials it acts as the calling plugin
 * (service principal), which may read every GET route.
 *
 * @public
 */
export class DefaultAwsAccessService implements AwsAccessService {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #fetch: typeof fetch;

  static create(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    fetch?: typeof fetch;
  }) {
    return new DefaultAwsAccessService(options);
  }

  private constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    fetch?: typeof fetch;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#fetch = options.fetch ?? fetch;
  }

  getCatalogProjection(options?: {
    credentials?: BackstageCredentials;
  }): Promise<CatalogProjection> {
    // Tens of MB at 100,000 people: parsed in slices, so the catalog's process serves requests meanwhile.
    return this.#request(
      'GET',
      '/catalog/projection',
      options?.credentials,
      undefined,
      async parts => (await parseJsonInSlices(parts)) as CatalogProjection,
    );
  }

  getSyncStatus(options?: {
    credentials?: BackstageCredentials;
  }): Promise<SyncStatus> {
    return this.#get('/sync/status', options?.credentials);
  }

  planAccountBaseline(options: {
    accountId: string;
    removeForbidden?: boolean;
    credentials?: BackstageCredentials;
  }): Promise<OnboardingPlan> {
    return this.#request(
      'POST',
      `/onboarding/accounts/${encodeURIComponent(options.accountId)}/plan`,
      options.credentials,
      {
        removeForbidden: options.removeForbidden ?? false,
      },
    );
  }

  applyAccountBaseline(options: {
    accountId: string;
    planId: string;
    removeForbidden?: boolean;
    confirmRemoval?: boolean;
    credentials: BackstageCredentials;
  }): Promise<ApplyResult> {
    return this.#request(
      'POST',
      `/onboarding/accounts/${encodeURIComponent(options.accountId)}/apply`,
      options.credentials,
      {
        planId: options.planId,
        removeForbidden: options.removeForbidden ?? false,
        confirmRemoval: options.confirmRemoval ?? false,
      },
    );
  }

  #get<T>(path: string, credentials?: BackstageCredentials): Promise<T> {
    return this.#request('GET', path, credentials);
  }

  async #request<T>(
    method: 'GET' | 'POST',
    path: string,
    credentials?: BackstageCredentials,
    body?: unknown,
    parse: (parts: string[]) => T | Promise<T> = parts =>
      JSON.parse(parts.join('')),
  ): Promise<T> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials ?? (await this.#auth.getOwnServiceCredentials()),
      targetPluginId: 'aws-access',
    });
    const baseUrl = await this.#discovery.getBaseUrl('aws-access');
    const response = await this.#fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return parse(await readTextParts(response));
  }
}

/**
 * The body as text in parts, decoded chunk by chunk as it arrives: response.text() decodes a body of tens of MB
 * in one piece, and joining the parts into one string costs about as much (hundreds of ms at 31 MB).
 */
async function readTextParts(response: Response): Promise<string[]> {
  if (!response.body) return [await response.text()];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let sliceStart = performance.now();
  for (;;) {
    // Chunks already received are read without an event loop turn: give one when a slice has run 10 ms.
    if (performance.now() - sliceStart >= 10) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts;
}
