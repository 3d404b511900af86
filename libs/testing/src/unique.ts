import { randomBytes } from 'crypto';

/** A name no other test file (or earlier run) uses: for topics, indices, databases, groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase();
}
