import { OpenAPIRegistry, OpenApiGeneratorV31, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';

export const ErrorDetailSchema = z.object({ field: z.string(), message: z.string(), code: z.string().optional() });
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(ErrorDetailSchema) }) }).openapi('ErrorBody');

export { OpenAPIRegistry };
export type { RouteConfig };

/** A registry with the bearer scheme and the shared error responses already in place. */
export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.register('ErrorBody', ErrorBody);
  return registry;
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/** Standard error responses for documented routes. */
export const errorResponses = {
  400: errorResponse('Invalid input (field-level details)'),
  401: errorResponse('Missing or invalid token'),
  403: errorResponse('Role or ownership does not allow it'),
  404: errorResponse('Not found'),
  409: errorResponse('Conflict / duplicate'),
  412: errorResponse('Version mismatch (If-Match)'),
  429: errorResponse('Rate limited (too many failed authentications or expensive operations); see Retry-After'),
} as const;

/** The answer of a versioned write without If-Match (`expectedVersion` of @lm/http). */
export const preconditionRequired = { 428: errorResponse('If-Match missing: send the ETag of your last read') } as const;

export function jsonBody<T extends z.ZodType>(schema: T, description = 'JSON body') {
  return { description, content: { 'application/json': { schema } } };
}

export function generateOpenApi(registry: OpenAPIRegistry, info: { title: string; version: string; description?: string }) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info,
    security: [{ bearerAuth: [] }],
  });
}
