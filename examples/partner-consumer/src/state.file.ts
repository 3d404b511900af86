import { promises as fs } from 'fs';
import path from 'path';
import { emptyState, type PartnerState } from './suggestions.state';

export async function loadState(file: string): Promise<PartnerState> {
  try {
    return { ...emptyState(), ...(JSON.parse(await fs.readFile(file, 'utf8')) as PartnerState) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
}

/** Write-then-rename: a crash leaves either the old or the new snapshot, never half of one. */
export async function saveState(file: string, state: PartnerState): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(state));
  await fs.rename(tmp, file);
}
