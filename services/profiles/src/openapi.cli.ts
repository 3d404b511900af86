// Prints this service's OpenAPI document (the one /openapi.json serves) without starting it:
// the console generates its typed API client from it at build time, so a contract change
// breaks the console's build rather than its users.
import { buildOpenApiDocument } from './http/openapi';

process.stdout.write(JSON.stringify(buildOpenApiDocument(), null, 2) + '\n');
