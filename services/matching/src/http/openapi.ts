import { createOpenApiRegistry, generateOpenApi } from '@lm/contracts';

let cached: unknown;

/** Generated once from the contracts' zod schemas. */
export function buildOpenApiDocument(): unknown {
  if (cached) return cached;
  const registry = createOpenApiRegistry();
  cached = generateOpenApi(registry, { title: 'Matching service', version: '1.0.0', description: 'Organisation matching of the Lombardy innovation ecosystem.' });
  return cached;
}
