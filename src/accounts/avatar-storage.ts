import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppConfig } from '../config/app-config';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
export const AVATAR_FORMATS = ['jpeg', 'png', 'webp'] as const;
/** Names this storage hands out: 32 hex characters and .webp. Anything else is never served. */
export const AVATAR_FILE_NAME = /^[0-9a-f]{32}\.webp$/;
/** Larger images are refused before decoding, so a small file cannot unpack into a huge bitmap. */
const MAX_INPUT_PIXELS = 40_000_000;

export const AVATAR_TYPE_MESSAGE = 'Choose a JPEG, PNG or WebP image.';
export const AVATAR_SIZE_MESSAGE = 'The image is larger than 2 MB. Choose a smaller one.';

/** An upload that is not an image we accept; its message is for the person who sent it. */
export class AvatarRejected extends Error {}

/**
 * Turns an uploaded image into a square 256 px WebP under UPLOAD_DIR with a random name.
 * The content decides (sharp reads the file), never the name or the declared type.
 */
@Injectable()
export class AvatarStorage {
  private readonly logger = new Logger(AvatarStorage.name);

  constructor(private readonly config: AppConfig) {}

  get dir(): string {
    return this.config.uploadDir;
  }

  pathOf(fileName: string): string | null {
    return AVATAR_FILE_NAME.test(fileName) ? join(this.dir, fileName) : null;
  }

  /** Validates and converts the image, then writes it; returns the new file name. */
  async store(content: Buffer): Promise<string> {
    const webp = await this.convert(content);
    await mkdir(this.dir, { recursive: true });
    const fileName = `${randomBytes(16).toString('hex')}.webp`;
    await writeFile(join(this.dir, fileName), webp, { flag: 'wx' });
    return fileName;
  }

  /** Removes a stored avatar; a file already gone is fine. */
  async remove(fileName: string | null | undefined): Promise<void> {
    const path = fileName ? this.pathOf(fileName) : null;
    if (!path) return;
    await rm(path, { force: true }).catch((error: unknown) =>
      this.logger.warn(`could not remove ${fileName}: ${String(error)}`),
    );
  }

  private async convert(content: Buffer): Promise<Buffer> {
    if (content.length > AVATAR_MAX_BYTES) throw new AvatarRejected(AVATAR_SIZE_MESSAGE);
    const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
    let format: string | undefined;
    try {
      format = (await sharp(content, options).metadata()).format;
    } catch {
      throw new AvatarRejected(AVATAR_TYPE_MESSAGE);
    }
    if (!format || !(AVATAR_FORMATS as readonly string[]).includes(format))
      throw new AvatarRejected(AVATAR_TYPE_MESSAGE);
    try {
      return await sharp(content, options)
        .rotate() // honour the EXIF orientation of photos
        .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
        .webp({ quality: 85 })
        .toBuffer();
    } catch {
      // A truncated or corrupt file whose header looked fine, or one too large to decode.
      throw new AvatarRejected('This image could not be read. Choose another file.');
    }
  }
}
