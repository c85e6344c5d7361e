import type {
  EmulatorControlClient,
  NormalizedScenario,
} from '@aws-access/emulators';

/** Deterministic pseudo-random numbers (mulberry32). */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChurnPlan {
  memberships: number;
  adds: { group: string; member: string }[];
  removes: { group: string; member: string }[];
}

/**
 * 1 % membership churn: of all direct user memberships in the tenant, `share` are changed, half removed and half
 * added (a random user joins a random group it is not in). Deterministic by seed.
 */
export function planChurn(
  scenario: NormalizedScenario,
  share = 0.01,
  seed = 10,
): ChurnPlan {
  const random = seeded(seed);
  const upns = new Set(scenario.entra.users.map(u => u.upn));
  const edges: { group: string; member: string }[] = [];
  const membersOf = new Map<string, Set<string>>();
  for (const g of scenario.entra.groups) {
    const users = g.members.filter(m => upns.has(m));
    membersOf.set(g.name, new Set(users));
    for (const member of users) edges.push({ group: g.name, member });
  }
  const changes = Math.max(2, Math.round(edges.length * share));
  const removes: ChurnPlan['removes'] = [];
  const removed = new Set<number>();
  while (
    removes.length < Math.floor(changes / 2) &&
    removed.size < edges.length
  ) {
    const i = Math.floor(random() * edges.length);
    if (removed.has(i)) continue;
    removed.add(i);
    removes.push(edges[i]);
  }
  const adds: ChurnPlan['adds'] = [];
  const users = scenario.entra.users.map(u => u.upn);
  const groups = scenario.entra.groups.map(g => g.name);
  while (adds.length < changes - removes.length) {
    const member = users[Math.floor(random() * users.length)];
    const group = groups[Math.floor(random() * groups.length)];
    const members = membersOf.get(group)!;
    if (members.has(member)) continue;
    members.add(member);
    adds.push({ group, member });
  }
  return { memberships: edges.length, adds, removes };
}

export async function applyChurn(
  control: EmulatorControlClient,
  plan: ChurnPlan,
  concurrency = 8,
) {
  const work = [
    ...plan.removes.map(
      c => () => control.removeGroupMember(c.group, c.member),
    ),
    ...plan.adds.map(c => () => control.addGroupMember(c.group, c.member)),
  ];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < work.length) await work[next++]();
    }),
  );
}
