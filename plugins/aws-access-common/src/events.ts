/** Published by the aws-access backend on the events service after each committed snapshot. @public */
export const AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC =
  'aws-access.snapshot.committed';

/** Payload of {@link AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC}; versions only grow. @public */
export interface AwsAccessSnapshotCommittedEvent {
  snapshotVersion: number;
}
