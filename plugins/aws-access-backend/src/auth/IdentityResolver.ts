import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';

const CACHE_MS = 60_000;

/**
 * Joins a Backstage user to the person of the snapshot, strictly. With Entra: the `graph.microsoft.com/user-id`
 * annotation (what the msgraph module and Microsoft sign-in use), else the catalog user's email as an Entra user
 * principal name (unique in a tenant), else, only with `userMatching.byEmail`, as the Entra `mail` of exactly one
 * person. With Identity Center alone: the Identity Store user name, then (with `byEmail`) the email. An email two
 * people share matches nobody: a finding, not a guess. A catalog user is never matched by its name.
 *
 * Someone asked about by entity ref (`resolveSubject`) may have no catalog user at all: a leaver Entra disabled
 * is dropped from the catalog but still holds AWS access. Such a ref is the product's own name for a person, the
 * one its answers carry (msgraph's name for the Entra user), when exactly one person of the snapshot has it.
 * Catalog lookups are cached briefly: they sit on every `/me` request.
 */
export class IdentityResolver {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #matchByEmail: boolean;
  readonly #cache = new Map<string, { entity?: Entity; at: number }>();

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    /** `awsAccess.userMatching.byEmail`. */
    matchByEmail: boolean;
  }) {
    return new IdentityResolver(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    matchByEmail: boolean;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#matchByEmail = options.matchByEmail;
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

  /**
   * The signed-in user's person, from their catalog user only (they always have one), or a NotFoundError that
   * says why not.
   */
  async resolve(index: AccessIndex, userEntityRef: string): Promise<Person> {
    return this.#match(index, userEntityRef, await this.#entity(userEntityRef));
  }

  /**
   * The person someone asks about (a user page, a diagnosis, deprovisioning, a requester): their catalog user
   * matched as for `resolve`, or, when the catalog has no such user, the one person the snapshot names with
   * this entity ref. Never a catalog user's name: an entity the catalog holds is matched by what identifies it.
   */
  async resolveSubject(
    index: AccessIndex,
    userEntityRef: string,
  ): Promise<Person> {
    const entity = await this.#entity(userEntityRef);
    if (!entity) {
      const person = personNamedByProduct(index, userEntityRef);
      if (person) return person;
      if (index.snapshot.identity.source !== 'identity-center')
        throw new NotFoundError(
          `${userEntityRef} is not in the catalog, and no person of the last sync has that name.`,
        );
    }
    return this.#match(index, userEntityRef, entity);
  }

  #match(
    index: AccessIndex,
    userEntityRef: string,
    entity: Entity | undefined,
  ): Person {
    if (index.snapshot.identity.source === 'identity-center')
      return resolveInIdentityCenter(
        index,
        userEntityRef,
        entity,
        this.#matchByEmail,
      );
    if (!entity)
      throw new NotFoundError(`${userEntityRef} is not in the catalog.`);
    const entraId =
      entity.metadata.annotations?.[ANNOTATION_MICROSOFT_GRAPH_USER_ID];
    if (entraId) {
      const person = index.personByKey(entraId);
      if (person) return person;
      throw new NotFoundError(
        `Your Backstage user ${userEntityRef} is Entra user ${entraId}, which the last sync did not find in the tenant. ` +
          'If the user was just created, wait for the next sync; otherwise the catalog is out of date.',
      );
    }
    const emails = emailsOf(entity);
    for (const email of emails) {
      const person = index.personByUpn(email);
      if (person) return person;
    }
    if (this.#matchByEmail) {
      const person = uniqueByEmail(userEntityRef, emails, email =>
        index.personsByMail(email),
      );
      if (person) return person;
    }
    const tried = emails.length
      ? `, and ${emails.join(', ')} is no Entra user principal name${
          this.#matchByEmail ? ' or email' : ''
        }`
      : ' and no email';
    const emailMatching = this.#matchByEmail
      ? '.'
      : '; matching by email is off (awsAccess.userMatching.byEmail).';
    throw new NotFoundError(
      `Your Backstage user ${userEntityRef} has no ${ANNOTATION_MICROSOFT_GRAPH_USER_ID} annotation${tried}. ` +
        `Ask the platform team to ingest users with the Microsoft Graph catalog module (or add the annotation)${emailMatching}`,
    );
  }
}

/**
 * The one person the product names with this entity ref, undefined when nobody has it, a NotFoundError naming
 * them when several have (their names normalize alike, so the catalog holds at most one of them).
 */
function personNamedByProduct(
  index: AccessIndex,
  userEntityRef: string,
): Person | undefined {
  const people = index.personsByEntityRef(userEntityRef);
  if (people.length > 1)
    throw new NotFoundError(
      `${userEntityRef} is not in the catalog, and ${
        people.length
      } people of the last sync have that name (${people
        .map(p => p.identityUser?.userPrincipalName ?? p.displayName)
        .join(', ')}), so it identifies none of them.`,
    );
  return people[0];
}

/**
 * The one person who has one of these emails; undefined when nobody has; a NotFoundError, naming them, when
 * several people share it (an email that identifies nobody is never resolved to one of them).
 */
function uniqueByEmail(
  userEntityRef: string,
  emails: string[],
  peopleWith: (email: string) => Person[],
  words = {
    who: 'people',
    advice: `Annotate the Backstage user with its ${ANNOTATION_MICROSOFT_GRAPH_USER_ID}, or give the people distinct emails.`,
  },
): Person | undefined {
  for (const email of emails) {
    const people = peopleWith(email);
    if (people.length === 1) return people[0];
    if (people.length > 1)
      throw new NotFoundError(
        `Your Backstage user ${userEntityRef} has the email ${email}, which ${
          people.length
        } ${words.who} share (${people
          .map(p => p.idcUser?.userName ?? p.displayName)
          .join(', ')}), so it identifies none of them. ${words.advice}`,
      );
  }
  return undefined;
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
 * normalizes it), else, with `matchByEmail`, its email is the Identity Center user's. Identity Center does not
 * keep emails unique, so an email two users share matches nobody.
 */
function resolveInIdentityCenter(
  index: AccessIndex,
  userEntityRef: string,
  entity: Entity | undefined,
  matchByEmail: boolean,
): Person {
  const name = entity?.metadata.name ?? parseEntityRef(userEntityRef).name;
  const byName = index.personsByIdcUserName(name);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1)
    throw new NotFoundError(
      `Your Backstage user ${userEntityRef} is named like ${
        byName.length
      } Identity Center users (${byName
        .map(p => p.idcUser?.userName ?? p.displayName)
        .join(', ')}); rename one of them so the user name is unambiguous.`,
    );
  const emails = emailsOf(entity);
  const byEmail = matchByEmail
    ? uniqueByEmail(
        userEntityRef,
        emails,
        email => index.personsByIdcEmail(email),
        {
          who: 'Identity Center users',
          advice:
            'Name the Backstage user like the Identity Store user name, or give the Identity Center users distinct emails.',
        },
      )
    : undefined;
  if (byEmail) return byEmail;
  throw new NotFoundError(
    `No Identity Center user has the user name ${name}${
      matchByEmail && emails.length ? ` or the email ${emails.join(', ')}` : ''
    }. Name the Backstage user like its Identity Store user name${
      matchByEmail
        ? ", or give it that user's email"
        : ' (matching by email is off: awsAccess.userMatching.byEmail)'
    }.`,
  );
}
