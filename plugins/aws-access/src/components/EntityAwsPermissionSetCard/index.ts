export {
  EntityAwsPermissionSetCard,
  permissionSetNameOf,
} from './EntityAwsPermissionSetCard';
