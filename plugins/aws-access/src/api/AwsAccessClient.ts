import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { UserAccess } from '@aws-access/plugin-aws-access-common';
import { AwsAccessApi } from './AwsAccessApi';

/**
 * Talks to `/api/aws-access` through the app's FetchApi (`plugin://` URLs, Backstage token attached).
 *
 * @public
 */
export class AwsAccessClient implements AwsAccessApi {
  readonly #fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.#fetchApi = options.fetchApi;
  }

  getMyAccess(): Promise<UserAccess> {
    return this.#request<UserAccess>('/me');
  }

  async #request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.#fetchApi.fetch(`plugin://aws-access${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
