import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AVATAR_MAX_BYTES, AVATAR_SIZE_MESSAGE } from './avatar-storage';

export type AvatarUpload = { ok: true; content: Buffer | null } | { ok: false; message: string };

/**
 * Parses the multipart body of an avatar form in memory (nothing touches the disk before the
 * content is judged). Multer stops reading at 2 MB, so a huge file is refused early.
 */
const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 5, fieldSize: 4096, parts: 6 },
}).single('avatar');

export function readAvatarUpload(req: Request, res: Response): Promise<AvatarUpload> {
  return new Promise((resolve) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return resolve({ ok: true, content: req.file?.size ? req.file.buffer : null });
      if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE')
        return resolve({ ok: false, message: AVATAR_SIZE_MESSAGE });
      if (error instanceof MulterError)
        return resolve({ ok: false, message: 'Send one image file in the avatar field.' });
      resolve({ ok: false, message: 'The upload could not be read. Please try again.' });
    });
  });
}
