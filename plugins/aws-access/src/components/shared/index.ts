export { AccessErrorPanel } from './AccessErrorPanel';
export { AccessTimeline } from './AccessTimeline';
export { GrantSentence } from './GrantSentence';
export type { SentenceContext } from './GrantSentence';
export { GrantStateChip } from './GrantStateChip';
export { GrantsTable } from './GrantsTable';
export { ProvisionResultAlert } from './ProvisionResultAlert';
export { SyncBanner } from './SyncBanner';
export { useFormat } from './useFormat';
