export {
  AwsAccessPage,
  AwsAccessPageBody,
  MyAwsAccessContent,
} from './AwsAccessPage';
