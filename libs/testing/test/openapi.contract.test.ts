import { loadOpenApiContract, type HttpExchange } from '../src/openapi.contract';

const Thing = {
  type: 'object',
  required: ['id', 'note'],
  properties: { id: { type: 'string' }, note: { type: ['string', 'null'] }, at: { type: 'string', format: 'date-time' } },
  additionalProperties: false,
};
const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } },
};
const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'ok',
            headers: { ETag: { schema: { type: 'string', pattern: '^"\\d+"$' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          404: { description: 'missing', content: { 'application/json': { schema: ErrorBody } } },
        },
      },
      delete: { responses: { 204: { description: 'gone' } } },
    },
    '/things/{id}:archive': {
      post: { responses: { 200: { description: 'archived', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } } },
    },
  },
  components: { schemas: { Thing } },
};

function exchange(method: string, url: string, status: number, body: unknown, headers: Record<string, string> = {}): HttpExchange {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    body,
    text,
    headers: { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers },
    request: { method, url: `http://127.0.0.1:1234${url}` },
  };
}

describe('OpenAPI contract', () => {
  it('when a response matches its operation, status, content type, body and headers, then there is no problem', async () => {
    const contract = await loadOpenApiContract(document);
    expect(contract.problems(exchange('GET', '/things/t1', 200, { id: 't1', note: null, at: '2026-12-02T10:00:00Z' }, { etag: '"3"' }))).toEqual([]);
    expect(contract.problems(exchange('DELETE', '/things/t1', 204, undefined))).toEqual([]);
    expect(contract.problems(exchange('POST', '/things/t1:archive', 200, { id: 't1', note: 'x' }))).toEqual([]);
  });

  it('when a body breaks its schema (wrong type, unknown property, bad format), then each break is named with its place', async () => {
    const contract = await loadOpenApiContract(document);
    const problems = contract.problems(exchange('GET', '/things/t1', 200, { id: 1, note: 'x', at: 'yesterday', extra: true }));
    expect(problems.join('\n')).toMatch(/body\/id must be string/);
    expect(problems.join('\n')).toMatch(/body\/at must match format "date-time"/);
    expect(problems.join('\n')).toMatch(/must NOT have additional properties/);
  });

  it('when the status, the content type or a documented header is not what the document says, then it is a problem', async () => {
    const contract = await loadOpenApiContract(document);
    expect(contract.problems(exchange('GET', '/things/t1', 500, { error: { code: 'internal' } }))).toEqual([
      expect.stringMatching(/status not documented for GET \/things\/\{id\} \(documented: 200, 404\)/),
    ]);
    expect(contract.problems({ ...exchange('GET', '/things/t1', 404, undefined), text: '<html/>', headers: { 'content-type': 'text/html' } })).toEqual([
      expect.stringMatching(/content type text\/html not among application\/json/),
    ]);
    expect(contract.problems(exchange('GET', '/things/t1', 200, { id: 't1', note: null }, { etag: 'W/"x"' }))).toEqual([
      expect.stringMatching(/header\/headers\/etag must match pattern/),
    ]);
    expect(contract.problems(exchange('DELETE', '/things/t1', 204, { id: 't1' }))).toEqual([]); // a 204 has no body on the wire
    expect(contract.problems(exchange('PUT', '/things/t1', 200, {}))).toEqual([expect.stringMatching(/no operation of the document matches/)]);
  });

  it('when some documented answers were never produced, then they are listed', async () => {
    const contract = await loadOpenApiContract(document);
    contract.problems(exchange('GET', '/things/t1', 404, { error: { code: 'not_found' } }));
    expect(contract.unexercised()).toEqual(['GET /things/{id} 200', 'DELETE /things/{id} 204', 'POST /things/{id}:archive 200']);
  });
});
