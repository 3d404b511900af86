import { AppError } from '@lm/errors';
import type { z } from '@lm/contracts';
import { ScheduleView } from '../domain/schedule.schemas';
import type { Doc, StoredForm } from './versioned.repository';

/**
 * The schedule document's large parts, stored as JSON text. FerretDB decodes the whole document
 * on every statement that touches it (a read by `_id`, the version check and write of every
 * change): with a 1,000-participant event's meetings as ~4,000 nested documents a `findOne` or
 * `updateOne` of it cost ~330 ms, with the same parts as strings ~30–55 ms (raw probe, NOTES.md).
 */
export const SCHEDULE_TEXT_PARTS = ['draft', 'published', 'cancelled'] as const;
type Part = (typeof SCHEDULE_TEXT_PARTS)[number];

/**
 * What a stored part must hold. The draft's run report is only shown, never relied on, and
 * drafts of earlier versions lack fields added to it since: it is not checked here.
 */
const PART_SCHEMAS: Record<Part, z.ZodType> = {
  draft: ScheduleView.shape.draft.unwrap().omit({ report: true }),
  published: ScheduleView.shape.published.unwrap(),
  cancelled: ScheduleView.shape.cancelled.unwrap(),
};

const invalidPart = (id: string, part: Part, cause: unknown) => new AppError('internal', `the stored schedule ${id} has an unreadable ${part}`, { cause });

/** A stored part → its value, checked: a stored document is read like any input (an older layout, a hand edit, a bug). */
function readPart(id: string, part: Part, stored: unknown): unknown {
  let value: unknown;
  try {
    // Nested documents: a schedule written before the parts became text and not converted yet.
    value = typeof stored === 'string' ? JSON.parse(stored) : stored;
  } catch (e) {
    throw invalidPart(id, part, e);
  }
  const checked = PART_SCHEMAS[part].safeParse(value);
  if (!checked.success) throw invalidPart(id, part, checked.error);
  // The value as stored, not zod's copy: what was written is what a reader gets back.
  return value;
}

/**
 * The parts a stored schedule still holds as nested documents (the layout before text), as the
 * text they become: the same content, not checked (a conversion must not stop at a bad part;
 * reading it fails as it would have). Empty when the document is converted.
 */
export function nestedPartsAsText(doc: Doc): Record<string, string> {
  return Object.fromEntries(SCHEDULE_TEXT_PARTS.filter((p) => doc[p] !== null && typeof doc[p] === 'object').map((p) => [p, JSON.stringify(doc[p])]));
}

export const scheduleStoredForm: StoredForm = {
  encode(fields) {
    const out = { ...fields };
    for (const p of SCHEDULE_TEXT_PARTS) if (out[p] !== undefined && out[p] !== null) out[p] = JSON.stringify(out[p]);
    return out;
  },
  decode(doc) {
    const out: Doc = { ...doc };
    for (const p of SCHEDULE_TEXT_PARTS) if (out[p] !== undefined && out[p] !== null) out[p] = readPart(doc._id, p, out[p]);
    return out;
  },
};
