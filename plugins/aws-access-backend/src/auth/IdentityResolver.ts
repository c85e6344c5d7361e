import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';

const CACHE_MS = 60_000;

/**
 * Joins a Backstage user to the Entra user of the snapshot: the `graph.microsoft.com/user-id` annotation (what
 * the msgraph module and Microsoft sign-in use), else `microsoft.com/email` or the profile email, else the
 * entity name (msgraph names users from mail or UPN). Catalog lookups are cached briefly: they sit on every
 * `/me` request.
 */
export class IdentityResolver {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #cache = new Map<string, { entity?: Entity; at: number }>();

  static create(options: { catalog: CatalogService; auth: AuthService }) {
    return new IdentityResolver(options);
  }

  private constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  async #entity(userEntityRef: string): Promise<Entity | undefined> {
    const cached = this.#cache.get(userEntityRef);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.entity;
    const entity = await this.#catalog.getEntityByRef(userEntityRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(userEntityRef, { entity, at: Date.now() });
    return entity;
  }

  /** The person a Backstage user is, or a NotFoundError that says why not. */
  async resolve(index: AccessIndex, userEntityRef: string): Promise<Person> {
    const entity = await this.#entity(userEntityRef);
    const annotations = entity?.metadata.annotations ?? {};
    const entraId = annotations[ANNOTATION_MICROSOFT_GRAPH_USER_ID];
    if (entraId) {
      const person = index.personByKey(entraId);
      if (person) return person;
      throw new NotFoundError(
        `Your Backstage user ${userEntityRef} is Entra user ${entraId}, which the last sync did not find in the tenant. ` +
          'If the user was just created, wait for the next sync; otherwise the catalog is out of date.',
      );
    }
    for (const login of [
      annotations[ANNOTATION_MICROSOFT_EMAIL],
      (entity?.spec?.profile as { email?: string } | undefined)?.email,
    ]) {
      const person = login ? index.personByLogin(login) : undefined;
      if (person) return person;
    }
    const byName = index.personByEntityRef(
      entity ? stringifyEntityRef(entity) : userEntityRef,
    );
    if (byName) return byName;
    throw new NotFoundError(
      entity
        ? `Your Backstage user ${userEntityRef} has no ${ANNOTATION_MICROSOFT_GRAPH_USER_ID} or ${ANNOTATION_MICROSOFT_EMAIL} annotation, and no Entra user is named like it. ` +
          'Ask the platform team to ingest users with the Microsoft Graph catalog module (or add the annotation).'
        : `${userEntityRef} is not in the catalog and no Entra user is named like it.`,
    );
  }
}
