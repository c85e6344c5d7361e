export {
  AwsAccessRequestsContent,
  AwsAccessRequestsPage,
  AwsAccessRequestsPageBody,
} from './AwsAccessRequestsPage';
