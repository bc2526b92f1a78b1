import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AVATAR_MAX_BYTES, AVATAR_SIZE_MESSAGE } from './avatar-storage';

export type AvatarUpload = { ok: true; content: Buffer | null } | { ok: false; message: string };

/** The path of the avatar form; its multipart body is parsed before the CSRF check (see below). */
export const AVATAR_UPLOAD_PATH = '/profile/avatar';

/**
 * Parses the multipart body of an avatar form in memory (nothing touches the disk before the
 * content is judged). Multer stops reading at 2 MB, so a huge file is refused early.
 */
const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 5, fieldSize: 4096, parts: 6 },
}).single('avatar');

const parsed = new WeakMap<Request, AvatarUpload>();

function outcome(req: Request, error: unknown): AvatarUpload {
  if (!error) return { ok: true, content: req.file?.size ? req.file.buffer : null };
  if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE')
    return { ok: false, message: AVATAR_SIZE_MESSAGE };
  if (error instanceof MulterError) return { ok: false, message: 'Send one image file in the avatar field.' };
  return { ok: false, message: 'The upload could not be read. Please try again.' };
}

/**
 * Mounted before the CSRF check on `POST /profile/avatar` only: it reads the multipart body so
 * that the form's `_csrf` field is there to check (a form without JavaScript has no other way to
 * send the token, and a token in the URL would leak into logs and histories). Only signed-in
 * people get their upload read; anyone else is refused by the CSRF check or the sign-in guard.
 */
export function parseAvatarUploadBeforeCsrf(): RequestHandler {
  return (req, res, next) => {
    if (!req.user || !req.is('multipart/form-data')) return next();
    parse(req, res, (error?: unknown) => {
      parsed.set(req, outcome(req, error));
      next();
    });
  };
}

/** The upload of this request, as parsed before the CSRF check (or now, if it was not). */
export function readAvatarUpload(req: Request, res: Response): Promise<AvatarUpload> {
  const early = parsed.get(req);
  if (early) return Promise.resolve(early);
  return new Promise((resolve) => parse(req, res, (error?: unknown) => resolve(outcome(req, error))));
}
