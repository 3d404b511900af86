// Dependency boundaries of every workspace's src/ (run by `npm run lint` and CI):
//  - domain code (services/*/src/domain) does no I/O: no web, broker, database or search
//    clients, no node I/O modules, none of the service's adapters or entry points;
//  - no service imports another service; libs import no service.
// Type-only imports count too: a port is written in domain terms, not in a client's types.
const IO_PACKAGES = ['express', 'kafkajs', 'mongoose', 'mongodb', '@elastic/elasticsearch', 'pino-http', 'supertest', 'http-proxy-middleware'];
const IO_LIBS = ['kafka', 'mongo', 'http', 'outbox', 'testing'];
const NODE_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'child_process', 'cluster', 'worker_threads'];
const anyOf = (names) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-no-io-packages',
      comment: 'Use cases work over ports (src/domain): engines, web and broker clients belong to data/, http/ and consumers/.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: `(^|/)node_modules/(${anyOf(IO_PACKAGES)})/|^(${anyOf(IO_PACKAGES)})(/|$)|^(@lm/(${anyOf(IO_LIBS)})$|libs/(${anyOf(IO_LIBS)})/)` },
    },
    {
      name: 'domain-no-node-io',
      comment: 'Domain code reads no files and opens no sockets or processes.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { dependencyTypes: ['core'], path: `^(node:)?(${anyOf(NODE_IO)})$` },
    },
    {
      name: 'domain-no-outer-layers',
      comment: "Domain code imports none of its service's adapters or entry points.",
      severity: 'error',
      from: { path: '^services/([^/]+)/src/domain/' },
      to: { path: '^services/$1/src/(?!domain/)' },
    },
    {
      name: 'no-service-imports-another',
      comment: 'Services talk over HTTP and Kafka only.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'libs-import-no-service',
      severity: 'error',
      from: { path: '^(libs|examples)/' },
      to: { path: '^(services/|@lm/[a-z-]+-service$)' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
