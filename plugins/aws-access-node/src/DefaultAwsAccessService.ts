import { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CatalogProjection, SyncStatus } from '@aws-access/plugin-aws-access-common';
import { AwsAccessService } from './AwsAccessService';

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

  static create(options: { auth: AuthService; discovery: DiscoveryService; fetch?: typeof fetch }) {
    return new DefaultAwsAccessService(options);
  }

  private constructor(options: { auth: AuthService; discovery: DiscoveryService; fetch?: typeof fetch }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#fetch = options.fetch ?? fetch;
  }

  getCatalogProjection(options?: { credentials?: BackstageCredentials }): Promise<CatalogProjection> {
    return this.#get('/catalog/projection', options?.credentials);
  }

  getSyncStatus(options?: { credentials?: BackstageCredentials }): Promise<SyncStatus> {
    return this.#get('/sync/status', options?.credentials);
  }

  async #get<T>(path: string, credentials?: BackstageCredentials): Promise<T> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials ?? (await this.#auth.getOwnServiceCredentials()),
      targetPluginId: 'aws-access',
    });
    const baseUrl = await this.#discovery.getBaseUrl('aws-access');
    const response = await this.#fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
