export { AllRequestsCard } from './AllRequestsCard';
export { ApprovalQueueCard } from './ApprovalQueueCard';
export { GovernanceLintCard } from './GovernanceLintCard';
export { MyRequestsCard, ActionErrorAlert } from './MyRequestsCard';
export { RequestAccessButton } from './RequestAccessButton';
export { RequestAccessDialog } from './RequestAccessDialog';
export { RequestsTable } from './RequestsTable';
export { RequestStateChip } from './RequestStateChip';
