#!/usr/bin/env node
// Prints a token the local services accept:
//   npm run -s token -- --role company --org <id> [--sub user-1] [--ttl 3600]
import { ROLES, Role } from './principal';
import { ensureDevKeys } from './dev-keys';
import { signToken } from './jwt';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): number {
  const role = arg('role') as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    process.stderr.write(`usage: token --role <${ROLES.join('|')}> [--org <organisation id>] [--sub <user>] [--ttl <seconds>]\n`);
    return 2;
  }
  const org = arg('org');
  if (role === 'company' && !org) {
    process.stderr.write('a company token needs --org <organisation id>\n');
    return 2;
  }
  const ttl = Number(arg('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) {
    process.stderr.write('--ttl must be a positive number of seconds\n');
    return 2;
  }
  const { privateKey } = ensureDevKeys();
  const token = signToken(
    { sub: arg('sub') ?? `${role}-dev`, role, ...(org ? { org } : {}) },
    {
      privateKey,
      issuer: process.env.JWT_ISSUER ?? 'https://auth.lombardy-match.local',
      audience: process.env.JWT_AUDIENCE ?? 'lombardy-match',
      expiresInSeconds: ttl,
    },
  );
  process.stdout.write(token + '\n');
  return 0;
}

process.exitCode = main();
