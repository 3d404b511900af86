import { AppError } from '@lm/errors';
import type { Request, Response } from 'express';

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; missing → 428, unreadable → 400. */
export function expectedVersion(req: Request): number {
  const header = req.headers['if-match'];
  if (header === undefined || header === '') {
    throw new AppError('precondition_required', 'If-Match header with the current version is required', {
      details: [{ field: 'If-Match', message: 'required (the ETag of the last read)' }],
    });
  }
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(String(header));
  if (!m) throw AppError.validation('invalid If-Match header', [{ field: 'If-Match', message: 'must be a version number, e.g. "3"' }]);
  return Number(m[1]);
}

export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}
