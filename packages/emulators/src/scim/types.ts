/* What the SCIM bridge reports: the control API's and provisionOnDemand's answers. */

/** One change a SCIM cycle (or provision-on-demand) made in the Identity Store. @public */
export interface ScimChange {
  action:
    | 'createUser'
    | 'updateUser'
    | 'disableUser'
    | 'enableUser'
    | 'deleteUser'
    | 'createGroup'
    | 'updateGroup'
    | 'addMember'
    | 'removeMember';
  /** Entra object id of the user or group changed. */
  entraId: string;
  identityStoreId: string;
  /** userName or group display name */
  name: string;
  /** For membership changes. */
  group?: string;
  user?: string;
  modifiedProperties?: {
    displayName: string;
    oldValue: string | null;
    newValue: string | null;
  }[];
}

/** What one cycle did: the control API's answer to `POST /_emulator/scim/cycle`. @public */
export interface ScimCycleResult {
  cycleId: string;
  trigger: 'schedule' | 'control' | 'onDemand';
  status: 'Succeeded' | 'Quarantined' | 'Skipped';
  reason?: string;
  startedAt: string;
  finishedAt: string;
  changes: ScimChange[];
  counts: Record<ScimChange['action'], number>;
  job: { status: string; nextCycleAt: string };
}

export interface OnDemandSubject {
  objectId: string;
  objectTypeName: 'User' | 'Group';
  /** For groups: the members to provision with it. */
  memberIds?: string[];
}
