#!/usr/bin/env node
// `npm start`: the whole system on the local engines, with demo data.
//   1. fetch/start the engines (infra/engines.sh; reused when already running)
//   2. build every workspace (turbo, cached)
//   3. seed the demo ecosystem when the profiles database is empty
//   4. run the three services and the web console, output prefixed per process; Ctrl-C stops
//      them (`npm run engines:stop` stops the engines).
const { spawn, spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const { prettyFactory } = require('pino-pretty');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = [
  { name: 'profiles', port: 4001, colour: 36 },
  { name: 'matching', port: 4002, colour: 35 },
  { name: 'events', port: 4003, colour: 33 },
  { name: 'console', port: 4000, colour: 32 },
];
const portOf = (name) => process.env[`${name.toUpperCase()}_PORT`] || String(SERVICES.find((s) => s.name === name).port);
// The console proxies to the services on their ports and, in development only, signs people in
// with the local dev key (AUTH_DEV_LOGIN).
const EXTRA_ENV = {
  console: {
    AUTH_DEV_LOGIN: process.env.AUTH_DEV_LOGIN || '1',
    PROFILES_URL: `http://127.0.0.1:${portOf('profiles')}`,
    MATCHING_URL: `http://127.0.0.1:${portOf('matching')}`,
    EVENTS_URL: `http://127.0.0.1:${portOf('events')}`,
  },
};

function step(title, cmd, args) {
  process.stdout.write(`\n==> ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${r.status}). Nothing else was started.\n`);
    process.exit(r.status || 1);
  }
}

// The services log pino JSON (what a log shipper wants); here a person reads them, so each JSON line is
// rendered by pino-pretty on one line (the [service] tag replaces the service field). LOG_FORMAT=json keeps JSON.
const prettyLine =
  process.env.LOG_FORMAT === 'json'
    ? (line) => line
    : prettyFactory({ colorize: !!process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true });

function prefixed(name, colour, stream, out) {
  let buffer = '';
  const tag = process.stdout.isTTY ? `\x1b[${colour}m[${name}]\x1b[0m ` : `[${name}] `;
  stream.on('data', (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) out.write(tag + prettyLine(line).trimEnd() + '\n');
  });
}

step('Starting engines (Kafka, Elasticsearch, FerretDB)', 'bash', ['infra/engines.sh', 'start']);
step('Building', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
const profilesPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'services/profiles/package.json'), 'utf8'));
if (profilesPkg.scripts && profilesPkg.scripts.seed) {
  step('Seeding demo data (only when the database is empty)', 'npm', ['run', '-s', 'seed', '-w', 'services/profiles', '--', '--if-empty']);
}

process.stdout.write('\n==> Starting services\n');
const children = SERVICES.map((s) => {
  const child = spawn(process.execPath, [path.join(ROOT, 'services', s.name, 'dist/main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...EXTRA_ENV[s.name], PORT: portOf(s.name) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixed(s.name, s.colour, child.stdout, process.stdout);
  prefixed(s.name, s.colour, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    process.stdout.write(`[${s.name}] exited (${signal || code})\n`);
    if (!stopping) shutdown(code || 1);
  });
  return child;
});

setTimeout(() => {
  process.stdout.write(`\nConsole:  http://127.0.0.1:${portOf('console')}   (sign in: pick a role and an organisation)\n`);
  process.stdout.write('\nServices:\n');
  for (const s of SERVICES.filter((x) => x.name !== 'console'))
    process.stdout.write(`  ${s.name.padEnd(9)} http://127.0.0.1:${portOf(s.name)}  (/openapi.json, /healthz, /readyz, /metrics)\n`);
  process.stdout.write('Engines: Kafka 127.0.0.1:9092, Elasticsearch http://127.0.0.1:9200, FerretDB mongodb://127.0.0.1:27017\n');
  process.stdout.write('A token: npm run -s token -- --role hub_staff   (or --role company --org <organisation id>)\n');
  process.stdout.write('Ctrl-C stops the services; `npm run engines:stop` stops the engines.\n\n');
}, 3000).unref();

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code);
  }, 15_000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
