/*
 * Entity names exactly as @backstage/plugin-catalog-backend-module-msgraph's default transformers produce them,
 * so refs are identical whether users and groups come from that module (link mode) or from ours (emit mode).
 */

/**
 * The msgraph module's `normalizeEntityName`: trim, lower case, characters outside `[a-z0-9_.-]` become `_`,
 * trailing `_` dropped, runs of `_` collapsed.
 *
 * @public
 */
export function normalizeEntityName(name: string): string {
  let cleaned = name
    .trim()
    .toLowerCase()
    .replace(/[^a-zA-Z0-9_\-.]/g, '_');
  while (cleaned.endsWith('_')) {
    cleaned = cleaned.substring(0, cleaned.length - 1);
  }
  while (cleaned.includes('__')) {
    cleaned = cleaned.replace('__', '_');
  }
  return cleaned;
}

/** Users are named from `mail`, else `userPrincipalName`. @public */
export function entraUserEntityName(user: {
  mail?: string | null;
  userPrincipalName?: string | null;
}): string {
  return normalizeEntityName(user.mail || user.userPrincipalName || '');
}

/** Security groups are named from `displayName`, other groups from `mailNickname`, else `displayName`. @public */
export function entraGroupEntityName(group: {
  displayName: string;
  mailNickname?: string | null;
  securityEnabled?: boolean | null;
}): string {
  const source = group.securityEnabled
    ? group.displayName
    : group.mailNickname || group.displayName;
  return normalizeEntityName(source);
}

/** `user:default/<name>` for an Entra user. @public */
export function entraUserEntityRef(user: {
  mail?: string | null;
  userPrincipalName?: string | null;
}): string {
  return `user:default/${entraUserEntityName(user)}`;
}

/** `group:default/<name>` for an Entra group. @public */
export function entraGroupEntityRef(group: {
  displayName: string;
  mailNickname?: string | null;
  securityEnabled?: boolean | null;
}): string {
  return `group:default/${entraGroupEntityName(group)}`;
}
