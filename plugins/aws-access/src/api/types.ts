import { SyncRun } from '@aws-access/plugin-aws-access-common';

// TODO(common): move to -common. Response envelope of `POST /sync/held/approve` (200).
/** @public */
export interface SyncRunResponse {
  run: SyncRun;
}

// TODO(common): move to -common. `POST /sync` answers 202. The contract says `{ run: SyncRun }`; the
// backend (router.ts at b2255ba) answers `{ accepted: true, message }`. The client accepts either.
/** @public */
export interface SyncTriggerResponse {
  /** The run that was started, when the backend reports it. */
  run?: SyncRun;
  accepted?: boolean;
  /** The backend's own words, e.g. "A sync starts within seconds; follow it on /sync/status". */
  message?: string;
}

// TODO(common): move to -common. Options of `GET /report` (the backend filters rows to what the caller may see).
/** @public */
export interface ReportOptions {
  /** Only rows of this group's members (entity ref, e.g. `group:default/team-payments`). */
  group?: string;
}
