export {
  AwsAccessReviewsContent,
  AwsAccessReviewsPage,
  AwsAccessReviewsPageBody,
} from './AwsAccessReviewsPage';
