import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema in the system is built from this one zod instance, extended once so that
// `.openapi()` metadata is available wherever a schema is written.
extendZodWithOpenApi(z);

export { z };
