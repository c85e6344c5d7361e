import { RequestStats } from '../sources/requests/RequestStats';
import type { startEmulatorWorld } from './emulatorWorld';

/** An emulator world, as the Entra writer tests use it. */
export type EntraWorld = Awaited<ReturnType<typeof startEmulatorWorld>>;

/** The Entra ids of a scenario user and group. */
export function entraIds(world: EntraWorld, upn: string, groupName: string) {
  const { users, groups } = world.emulators.scenario.entra;
  return {
    userId: users.find(u => u.upn === upn)!.id,
    groupId: groups.find(g => g.name === groupName)!.id,
  };
}

/** The user's direct groups as Entra answers them now. */
export async function entraGroupsOf(world: EntraWorld, userId: string) {
  const read = await world.sources.identity!.readUser(
    { stats: new RequestStats() },
    userId,
  );
  return read?.directGroupIds ?? [];
}

/** How many times the emulator served a Graph route (by its template). */
export async function graphCount(world: EntraWorld, template: string) {
  return (await world.emulators.control.getCounters()).graph[template] ?? 0;
}
