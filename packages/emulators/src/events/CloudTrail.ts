/*
 * What CloudTrail records of a write: the API call's source, name, request parameters and response elements (or,
 * for work a service finishes by itself, a service event). The World records one for every write it performs;
 * EventDelivery turns them into EventBridge events on the configured queue.
 */

/** One recorded write. */
export interface ApiCall {
  /** `sso.amazonaws.com`, `identitystore-scim.amazonaws.com`, `organizations.amazonaws.com` */
  eventSource: string;
  eventName: string;
  /** Where CloudTrail records it; default the Identity Center region (Organizations: us-east-1). */
  region?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  userAgent?: string;
  /** The caller's access key (STS session), when it called through the AWS endpoint. */
  accessKeyId?: string;
  /** `AwsServiceEvent` for what a service did by itself (Organizations' CreateAccountResult). */
  eventType?: 'AwsApiCall' | 'AwsServiceEvent';
  serviceEventDetails?: Record<string, unknown>;
  /** A call the service refused is recorded too, with its error. */
  errorCode?: string;
  errorMessage?: string;
}

/** CloudTrail masks personal data in SCIM and Organizations events. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export class CloudTrail {
  readonly #listeners = new Set<(call: ApiCall) => void>();

  listen(listener: (call: ApiCall) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  record(call: ApiCall): void {
    for (const listener of this.#listeners) listener(call);
  }
}

/** CloudTrail's member names: the API's PascalCase members in camelCase, at every depth. */
export function camelMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelMembers);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key[0].toLowerCase() + key.slice(1),
      camelMembers(inner),
    ]),
  );
}
