import { base36From } from '../ids';
import type { AccountStatus } from '../scenario/types';
import { Collection } from './Collection';

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  parentId: string;
  tags: Record<string, string>;
  joinedMethod: 'INVITED' | 'CREATED';
  joinedMs: number;
}

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
}

/** AWS Organizations: the organization, its root, the OU tree and the accounts in it. */
export class Organization {
  readonly id: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly accounts = new Collection<OrgAccount>();
  readonly units = new Collection<OrgUnit>();

  static create(options: {
    id: string;
    managementAccountId: string;
    rootId: string;
  }): Organization {
    return new Organization(options);
  }

  private constructor(options: {
    id: string;
    managementAccountId: string;
    rootId: string;
  }) {
    this.id = options.id;
    this.managementAccountId = options.managementAccountId;
    this.rootId = options.rootId;
  }

  get arn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:organization/${this.id}`;
  }

  accountArn(accountId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:account/${this.id}/${accountId}`;
  }

  rootArn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:root/${this.id}/${this.rootId}`;
  }

  unitArn(unitId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:ou/${this.id}/${unitId}`;
  }

  /** `o-…/r-…/ou-…/…/` for an OU or root, plus `<account id>/` for accounts (ListAccounts `Paths`). */
  path(parentId: string, accountId?: string): string {
    const chain: string[] = [];
    let current: string | undefined = parentId;
    while (current && current !== this.rootId) {
      chain.unshift(current);
      current = this.units.get(current)?.parentId;
    }
    return `${this.id}/${this.rootId}/${chain.map(id => `${id}/`).join('')}${
      accountId ? `${accountId}/` : ''
    }`;
  }

  isParent(id: string): boolean {
    return id === this.rootId || this.units.has(id);
  }

  /** Finds or creates the OU chain for a path such as `Workloads/Prod` (used by the control API). */
  ensurePath(path: string): string {
    const parts = path
      .split('/')
      .map(p => p.trim())
      .filter(Boolean);
    if (parts.length > 0 && parts[0].toLowerCase() === 'root') parts.shift();
    let parentId = this.rootId;
    let walked = '';
    for (const name of parts) {
      walked = walked ? `${walked}/${name}` : name;
      const under = parentId;
      const existing = this.units
        .values()
        .find(u => u.parentId === under && u.name === name);
      if (existing) {
        parentId = existing.id;
        continue;
      }
      const id = `ou-${this.rootId.slice(2)}-${base36From(
        8,
        this.id,
        'ou',
        walked,
      )}`;
      this.units.set(id, { id, name, parentId });
      parentId = id;
    }
    return parentId;
  }
}
