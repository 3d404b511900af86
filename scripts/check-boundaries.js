#!/usr/bin/env node
// Dependency boundaries (run by `npm run lint` and CI):
//  - no service imports another service's code;
//  - libs never import services;
//  - domain code (services/*/src/domain) imports no data/http/consumers code and no engine or web client.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const ENGINE_CLIENTS = ['express', 'mongoose', 'kafkajs', '@elastic/elasticsearch', 'pino-http', 'supertest', '@lm/mongo', '@lm/kafka', '@lm/http'];
const LAYERS_FORBIDDEN_IN_DOMAIN = ['data', 'http', 'consumers'];

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function importsOf(file) {
  const src = fs.readFileSync(file, 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const found = [];
  let m;
  while ((m = re.exec(src))) found.push(m[1] || m[2] || m[3]);
  return found;
}

const problems = [];
const services = fs.existsSync(path.join(ROOT, 'services')) ? fs.readdirSync(path.join(ROOT, 'services')) : [];

for (const group of ['services', 'libs', 'examples']) {
  for (const file of walk(path.join(ROOT, group))) {
    const rel = path.relative(ROOT, file);
    const [, owner] = rel.split(path.sep);
    for (const spec of importsOf(file)) {
      const resolved = spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : undefined;
      const target = resolved ? resolved.split(path.sep) : [];
      const serviceByPackage = /^@lm\/([a-z-]+)-service/.exec(spec);
      if (group !== 'services' && (target[0] === 'services' || serviceByPackage)) {
        problems.push(`${rel}: ${group} must not import service code (${spec})`);
      }
      if (group === 'services') {
        if ((target[0] === 'services' && target[1] !== owner) || (serviceByPackage && serviceByPackage[1] !== owner)) {
          problems.push(`${rel}: imports another service (${spec})`);
        }
        const inDomain = rel.split(path.sep).slice(2, 4).join('/') === 'src/domain';
        if (inDomain) {
          const layer = target[0] === 'services' && target[1] === owner && target[2] === 'src' ? target[3] : undefined;
          if (layer && LAYERS_FORBIDDEN_IN_DOMAIN.includes(layer)) problems.push(`${rel}: domain imports ${layer}/ (${spec})`);
          if (ENGINE_CLIENTS.some((c) => spec === c || spec.startsWith(c + '/'))) problems.push(`${rel}: domain imports ${spec}`);
        }
      }
    }
  }
}

if (problems.length) {
  process.stderr.write(`Dependency boundary violations (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`boundaries ok (${services.length} services checked)\n`);
