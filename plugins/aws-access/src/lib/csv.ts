/** A file name for a group's export: `team-access-<group name>.csv`, safe characters only. */
export function csvFileName(groupEntityRef: string): string {
  const name = groupEntityRef
    .replace(/^.*\//, '')
    .replace(/[^a-zA-Z0-9._-]+/g, '_');
  return `team-access-${name || 'group'}.csv`;
}
