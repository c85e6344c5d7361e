import { InputError, NotFoundError } from '@backstage/errors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { TooManyRequestsError } from '../provisioning/ProvisioningService';
import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';
import type { EndpointMap } from '../schema/openapi.generated';
import spec from '../schema/openapi.json';
import { NoSnapshotError } from '../sync/SnapshotCache';
import { accessRoutes } from './accessRoutes';
import type { RouterOptions } from './ApiContext';
import { ApiContext } from './ApiContext';
import { catalogRoutes } from './catalogRoutes';
import { driftRoutes } from './driftRoutes';
import { onboardingRoutes } from './onboardingRoutes';
import { requestRoutes } from './requestRoutes';
import { reviewRoutes } from './reviewRoutes';
import { describeRefusal, inputError } from './parameters';
import { syncRoutes } from './syncRoutes';

export type { RouterOptions } from './ApiContext';

/** openapi.json read as the OpenAPI document it is (JSON imports are typed loosely). */
type OpenApiDocument = Parameters<
  typeof createValidatedOpenApiRouterFromGeneratedEndpointMap
>[0];

/**
 * JSON bodies, parsed strictly (objects and arrays only). A body that is not JSON fails before any handler, as
 * an InputError naming the body, like every other bad input.
 */
const jsonBody: RequestHandler = (req, res, next) =>
  express.json()(req, res, error =>
    next(
      error
        ? new InputError(`Invalid body: ${(error as Error).message}`)
        : undefined,
    ),
  );

/**
 * Before any route: the validator refuses a request with a message of its own (and Backstage's wrapper makes
 * every refusal a 400). We answer in the words every other refusal uses, and an undeclared route or method is
 * not found (404), as it was before the router knew the spec.
 */
function refusals(
  error: unknown,
  req: Request,
  _res: Response,
  next: NextFunction,
) {
  if (!(error instanceof InputError)) {
    next(error);
  } else if (/^(not found|\w+ method not allowed)$/.test(error.message)) {
    next(
      new NotFoundError(
        `${req.method} ${req.path} is not a route of the aws-access API`,
      ),
    );
  } else {
    next(inputError(describeRefusal(error.message)));
  }
}

/** Errors the Backstage error handler does not shape: 503 and 429 with Retry-After. */
function retryLater(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) {
  // Before the first snapshot: 503 with Retry-After, so clients and the catalog module back off.
  if (error instanceof NoSnapshotError) res.set('Retry-After', '30');
  if (error instanceof TooManyRequestsError) {
    // The Backstage error handler has no 429: answer it here, in the same shape.
    res
      .status(429)
      .set('Retry-After', String(error.retryAfterSeconds))
      .json({
        error: { name: error.name, message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
    return;
  }
  next(error);
}

/**
 * The aws-access REST API, built from openapi.yaml: the validated router serves only the routes and parameters
 * the spec declares, and types every handler by it. Routes are grouped by resource (one file each); handlers
 * only parse input, establish who is asking, check permission, call a view over the served snapshot and respond.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router =
    createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(
      spec as OpenApiDocument,
      {
        middleware: [jsonBody],
        validatorOptions: {
          // Anything the spec does not declare is refused, not passed through.
          ignoreUndocumented: false,
          // Authentication is Backstage's (httpAuth and the auth policies), before this router.
          validateSecurity: false,
        },
      },
    );
  router.use(refusals);
  const api = new ApiContext(options);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  accessRoutes(router, api);
  syncRoutes(router, api);
  driftRoutes(router, api);
  onboardingRoutes(router, api);
  catalogRoutes(router, api);
  requestRoutes(router, api);
  reviewRoutes(router, api);

  router.use(retryLater);
  return router;
}
