import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document as OpenApiDocument, type Operation } from 'openapi-backend';

/** One real HTTP exchange, as a supertest (superagent) response carries it. */
export interface HttpExchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
  request: { method: string; url: string };
}

export interface OpenApiContract {
  /** What in this real response the served document does not allow; `[]` when it matches. */
  problems(exchange: HttpExchange): string[];
  /** Documented `METHOD path status` answers that no checked response has shown yet. */
  unexercised(): string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const BODYLESS = new Set([204, 304]);

interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], { operationId?: string; responses?: Record<string, ResponseObject> }>>>;
}
interface ResponseObject {
  content?: Record<string, unknown>;
}

/**
 * Checks real responses against the OpenAPI 3.1 document a service serves (openapi-backend's
 * router and ajv validators; JSON Schema 2020-12 as OpenAPI 3.1 says, formats checked). A status
 * the operation does not document, a content type it does not list, a body or a documented header
 * that breaks its schema are all problems. Every check is recorded, so a test file can tell which
 * documented answers it never produced.
 */
export async function loadOpenApiContract(served: unknown): Promise<OpenApiContract> {
  const definition = withOperationIds(structuredClone(served) as Document);
  const api = new OpenAPIBackend({
    definition: definition as unknown as OpenApiDocument,
    // openapi-backend checks a document against the OpenAPI 3.0 schema only (it refuses 3.1's
    // `type: [..., 'null']`): `quick` skips that check. Response schemas are compiled as JSON
    // Schema 2020-12 below, which is what OpenAPI 3.1 uses.
    quick: true,
    customizeAjv: (_default, options) => addFormats(new Ajv2020({ ...options, strict: false, allErrors: true })) as never,
  });
  await api.init();
  const seen = new Set<string>();

  function problems(exchange: HttpExchange): string[] {
    const url = new URL(exchange.request.url, 'http://service');
    const method = exchange.request.method.toLowerCase();
    const operation = api.router.matchOperation({ method, path: decodeURI(url.pathname), query: url.search.slice(1), headers: {} });
    const where = `${exchange.request.method.toUpperCase()} ${url.pathname} → ${exchange.status}`;
    if (!operation) return [`${where}: no operation of the document matches the request`];
    const documented = Object.keys(operation.responses ?? {});
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((k) => documented.includes(k));
    if (!key) return [`${where}: status not documented for ${method.toUpperCase()} ${operation.path} (documented: ${documented.join(', ')})`];
    seen.add(label(operation, key));
    return [...contentProblems(operation, key, exchange), ...headerProblems(operation, exchange)].map((p) => `${where}: ${p}`);
  }

  function contentProblems(operation: Operation, key: string, exchange: HttpExchange): string[] {
    const response = (operation.responses ?? {})[key] as ResponseObject;
    const contentType =
      String(exchange.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    const hasBody = !BODYLESS.has(exchange.status) && (exchange.text ?? '') !== '';
    if (!response.content) return hasBody ? [`a body (${contentType}) where the document declares none`] : [];
    if (!hasBody) return BODYLESS.has(exchange.status) ? [] : ['no body where the document declares one'];
    if (!(contentType in response.content)) return [`content type ${contentType} not among ${Object.keys(response.content).join(', ')}`];
    if (contentType !== 'application/json') return [];
    const result = api.validator.validateResponse(exchange.body, operation, exchange.status);
    return (result.errors ?? []).map((e) => `body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  function headerProblems(operation: Operation, exchange: HttpExchange): string[] {
    const result = api.validator.validateResponseHeaders(exchange.headers, operation, { statusCode: exchange.status });
    return (result.errors ?? []).map((e) => `header${e.instancePath} ${e.message}`);
  }

  function unexercised(): string[] {
    return api.router
      .getOperations()
      .flatMap((operation) => Object.keys(operation.responses ?? {}).map((status) => label(operation, status)))
      .filter((l) => !seen.has(l));
  }

  return { problems, unexercised };
}

function label(operation: Operation, status: string): string {
  return `${operation.method.toUpperCase()} ${operation.path} ${status}`;
}

/** openapi-backend finds operations by id; the services' documents name none, so each gets `METHOD path`. */
function withOperationIds(document: Document): Document {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) operation.operationId ??= `${method.toUpperCase()} ${path}`;
    }
  }
  return document;
}
