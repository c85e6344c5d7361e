/*
 * The AWS Access for Backstage demo backend: the catalog (with the upstream msgraph module and our projection),
 * auth (dev sign-in for the demo), permissions (our policy), search, scaffolder, notifications and signals, and the
 * aws-access plugin.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the demo signs in as any user of the scenario; this module refuses to start in production
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/devSignIn'));

// catalog: Entra users and groups from Microsoft Graph, AWS accounts and permission sets from aws-access
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-catalog-backend-module-msgraph'));
backend.add(import('@aws-access/plugin-catalog-backend-module-aws-access'));

// events: lets the catalog module refresh when a new access snapshot is committed
backend.add(import('@backstage/plugin-events-backend'));

// notifications (access requests tell approvers and requesters) and signals (they arrive in the open app at once)
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// permissions: own access always, a group's access for its members, everything for the platform team
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// scaffolder (software templates), with the AWS account onboarding action
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@aws-access/plugin-scaffolder-backend-module-aws-access'));

// AWS access
backend.add(import('@aws-access/plugin-aws-access-backend'));

backend.start();
