import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type sharpModule from 'sharp';
import { AppConfig } from '../config/app-config';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
export const AVATAR_FORMATS = ['jpeg', 'png', 'webp'] as const;
/** Names this storage hands out: 32 hex characters and .webp. Anything else is never served. */
export const AVATAR_FILE_NAME = /^[0-9a-f]{32}\.webp$/;
/**
 * Decoding limits, checked on the image header before any pixel is decoded: a 2 MB file can
 * describe a huge bitmap (a 6320 × 6320 16-bit PNG unpacks to 240 MB and took 1.4 s). An avatar
 * ends up 256 px wide, so 4096 × 4096 (a 12-megapixel phone photo fits) with 8 bits a channel is
 * plenty; the decoded size budget also refuses 16-bit images of a size that 8 bits would pass.
 */
export const AVATAR_MAX_PIXELS = 4096 * 4096;
export const AVATAR_MAX_DECODED_BYTES = AVATAR_MAX_PIXELS * 4;
/** Avatars decoded at once by this process; sharp also takes one libvips thread per image (below). */
export const AVATAR_DECODE_SLOTS = 2;
/** Uploads that may wait for a slot; any more are asked to try again. */
export const AVATAR_DECODE_QUEUE = 8;

export const AVATAR_TYPE_MESSAGE = 'Choose a JPEG, PNG or WebP image.';
export const AVATAR_SIZE_MESSAGE = 'The image is larger than 2 MB. Choose a smaller one.';
export const AVATAR_DIMENSIONS_MESSAGE =
  'The image is too large to process. Choose one of at most 4096 × 4096 pixels, with 8 bits per colour.';
export const AVATAR_BUSY_MESSAGE = 'Too many images are being processed right now. Try again in a moment.';

/** An upload that is not an image we accept; its message is for the person who sent it. */
export class AvatarRejected extends Error {
  constructor(
    message: string,
    /** 422 for the image itself; 503 when the server is too busy to look at it. */
    readonly status = 422,
  ) {
    super(message);
  }
}

let loadedSharp: typeof sharpModule | undefined;

/**
 * sharp (libvips, some 20 MB resident) is loaded at the first upload, not at start: most web
 * processes never decode an image. It runs on libuv's thread pool, which argon2 and file access
 * share: one libvips thread per image and a few images at a time keep an upload burst from
 * starving sign-ins. Its operation cache only helps repeated work on the same image, which
 * uploads never are.
 */
async function loadSharp(): Promise<typeof sharpModule> {
  if (!loadedSharp) {
    const sharp = (await import('sharp')).default;
    sharp.concurrency(1);
    sharp.cache(false);
    loadedSharp = sharp;
  }
  return loadedSharp;
}

/** A counting semaphore with a bounded queue: at most `slots` holders, `queue` waiters. */
class DecodeSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(
    slots: number,
    private readonly queue: number,
  ) {
    this.free = slots;
  }

  /** Resolves with a release function, or returns null at once when the queue is full too. */
  acquire(): Promise<() => void> | null {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queue) return null;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

const BYTES_PER_SAMPLE: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4 };

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

  private readonly decodeSlots = new DecodeSlots(AVATAR_DECODE_SLOTS, AVATAR_DECODE_QUEUE);

  private async convert(content: Buffer): Promise<Buffer> {
    if (content.length > AVATAR_MAX_BYTES) throw new AvatarRejected(AVATAR_SIZE_MESSAGE);
    const slot = this.decodeSlots.acquire();
    if (!slot) throw new AvatarRejected(AVATAR_BUSY_MESSAGE, 503);
    const release = await slot;
    try {
      return await this.decode(content);
    } finally {
      release();
    }
  }

  private async decode(content: Buffer): Promise<Buffer> {
    const sharp = await loadSharp();
    const options = { limitInputPixels: AVATAR_MAX_PIXELS, failOn: 'error' as const };
    let header: sharpModule.Metadata;
    try {
      // Reads the header only (no pixel is decoded), so the size is judged below with a clear message.
      header = await sharp(content, { ...options, limitInputPixels: false }).metadata();
    } catch {
      throw new AvatarRejected(AVATAR_TYPE_MESSAGE);
    }
    const { format, width = 0, height = 0, channels = 4, depth = 'uchar' } = header;
    if (!format || !(AVATAR_FORMATS as readonly string[]).includes(format))
      throw new AvatarRejected(AVATAR_TYPE_MESSAGE);
    const decodedBytes = width * height * channels * (BYTES_PER_SAMPLE[depth] ?? 8);
    if (width * height > AVATAR_MAX_PIXELS || decodedBytes > AVATAR_MAX_DECODED_BYTES)
      throw new AvatarRejected(AVATAR_DIMENSIONS_MESSAGE);
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
