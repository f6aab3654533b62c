import { accountRoutes } from './routes/account.ts';
import { budgetRoutes } from './routes/budgets.ts';
import { consultationRoutes } from './routes/consultations.ts';
import { petitionRoutes } from './routes/petitions.ts';
import { searchRoutes } from './routes/search.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { systemRoutes } from './routes/system.ts';

/**
 * The route table: every API route, defined once (one module per area under routes/). The CDK API
 * stack makes one Lambda function and one API Gateway method per entry; the local gateway serves
 * the same entries with the same handlers; the OpenAPI document is generated from the same
 * schemas. Adding a route is one entry in its area's module plus a handler under functions/http/.
 */
export const routes = {
  ...systemRoutes,
  ...petitionRoutes,
  ...consultationRoutes,
  ...budgetRoutes,
  ...accountRoutes,
  ...searchRoutes,
  ...openDataRoutes,
} as const;

export type RouteName = keyof typeof routes;
