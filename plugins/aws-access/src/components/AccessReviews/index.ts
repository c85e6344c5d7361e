export { MyReviews } from './MyReviews';
export { OverdueReviewsCard } from './OverdueReviewsCard';
export { ReviewCampaignsCard } from './ReviewCampaignsCard';
