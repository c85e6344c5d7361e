import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';

const CACHE_MS = 60_000;

/**
 * Joins a Backstage user to the person of the snapshot. With Entra: the `graph.microsoft.com/user-id` annotation
 * (what the msgraph module and Microsoft sign-in use), else `microsoft.com/email` or the profile email, else the
 * entity name (msgraph names users from mail or UPN). With Identity Center alone: the Identity Store user name,
 * then the email, refusing rather than guessing when two Identity Center users share it. Catalog lookups are
 * cached briefly: they sit on every `/me` request.
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
    if (index.snapshot.identity.source === 'identity-center')
      return resolveInIdentityCenter(index, userEntityRef, entity);
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

/** The emails a catalog user carries: the Microsoft annotation and the profile email, once each. */
function emailsOf(entity: Entity | undefined): string[] {
  const candidates = [
    entity?.metadata.annotations?.[ANNOTATION_MICROSOFT_EMAIL],
    (entity?.spec?.profile as { email?: string } | undefined)?.email,
  ];
  return [
    ...new Set(
      candidates
        .filter((e): e is string => Boolean(e))
        .map(e => e.toLowerCase()),
    ),
  ];
}

/**
 * Identity Center alone: the catalog user's name is the Identity Store user name (as written, or as the catalog
 * normalizes it), else its email is the Identity Center user's. Identity Center does not keep emails unique,
 * so an email two users share matches nobody.
 */
function resolveInIdentityCenter(
  index: AccessIndex,
  userEntityRef: string,
  entity: Entity | undefined,
): Person {
  const name = entity?.metadata.name ?? parseEntityRef(userEntityRef).name;
  const byName = index.personsByIdcUserName(name);
  if (byName.length === 1) return byName[0];
  const names = (people: Person[]) =>
    people.map(p => p.idcUser?.userName ?? p.displayName).join(', ');
  if (byName.length > 1)
    throw new NotFoundError(
      `Your Backstage user ${userEntityRef} is named like ${
        byName.length
      } Identity Center users (${names(
        byName,
      )}); rename one of them so the user name is unambiguous.`,
    );
  const emails = emailsOf(entity);
  for (const email of emails) {
    const byEmail = index.personsByIdcEmail(email);
    if (byEmail.length === 1) return byEmail[0];
    if (byEmail.length > 1)
      throw new NotFoundError(
        `Your Backstage user ${userEntityRef} has the email ${email}, which ${
          byEmail.length
        } Identity Center users share (${names(
          byEmail,
        )}), so it identifies none of them. Name the Backstage user like the Identity Store user name, or give the Identity Center users distinct emails.`,
      );
  }
  throw new NotFoundError(
    `No Identity Center user has the user name ${name}${
      emails.length ? ` or the email ${emails.join(', ')}` : ''
    }. Name the Backstage user like its Identity Store user name, or give it that user's email.`,
  );
}
