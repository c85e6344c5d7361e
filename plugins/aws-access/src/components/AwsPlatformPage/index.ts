export {
  AwsPlatformContent,
  AwsPlatformPage,
  AwsPlatformPageBody,
} from './AwsPlatformPage';
