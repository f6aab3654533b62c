import { problemSchema } from '#shared/schemas/common.ts';

/** A documented problem+json response of a route. */
export const problem = (description: string) => ({ description, schema: problemSchema, contentType: 'application/problem+json' });
