export { RequireAwsPlatformAccess } from './RequireAwsPlatformAccess';
