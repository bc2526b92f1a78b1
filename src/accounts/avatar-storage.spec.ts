import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AppConfig } from '../config/app-config';
import { flatPng } from '../../test/helpers/images';
import {
  AVATAR_BUSY_MESSAGE,
  AVATAR_DECODE_QUEUE,
  AVATAR_DECODE_SLOTS,
  AVATAR_DIMENSIONS_MESSAGE,
  AVATAR_MAX_BYTES,
  AVATAR_SIZE_MESSAGE,
  AVATAR_TYPE_MESSAGE,
  AvatarRejected,
  AvatarStorage,
} from './avatar-storage';

const picture = (format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff', width = 320, height = 200) =>
  sharp({ create: { width, height, channels: 3, background: '#c0ffee' } })
    .toFormat(format)
    .toBuffer();

describe('AvatarStorage', () => {
  let dir: string;
  let storage: AvatarStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hticket-avatars-'));
    storage = new AvatarStorage({ uploadDir: join(dir, 'uploads') } as AppConfig);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each(['jpeg', 'png', 'webp'] as const)('stores a %s as a 256×256 WebP with a random name', async (format) => {
    const name = await storage.store(await picture(format));
    expect(name).toMatch(/^[0-9a-f]{32}\.webp$/);
    const meta = await sharp(await readFile(join(dir, 'uploads', name))).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
  });

  it.each([
    ['gif', () => picture('gif')],
    ['tiff', () => picture('tiff')],
    ['svg', () => Promise.resolve(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'))],
    ['text', () => Promise.resolve(Buffer.from('hello'))],
    ['empty', () => Promise.resolve(Buffer.alloc(0))],
  ])('refuses %s and writes nothing', async (_label, make) => {
    await expect(storage.store(await make())).rejects.toThrow(new AvatarRejected(AVATAR_TYPE_MESSAGE));
    await expect(readdir(join(dir, 'uploads'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a truncated image', async () => {
    const png = await picture('png', 400, 400);
    await expect(storage.store(png.subarray(0, 60))).rejects.toThrow(AvatarRejected);
  });

  it('refuses content over 2 MB before decoding it', async () => {
    await expect(storage.store(Buffer.alloc(2 * 1024 * 1024 + 1))).rejects.toThrow(AVATAR_SIZE_MESSAGE);
  });

  describe('decoding work', () => {
    jest.setTimeout(60_000);

    it('refuses a 6320 × 6320 16-bit PNG (a small file that unpacks to 240 MB) with a clear message', async () => {
      const png = await flatPng(6320, 6320, { bitDepth: 16 });
      expect(png.length).toBeLessThan(AVATAR_MAX_BYTES);
      await expect(storage.store(png)).rejects.toThrow(new AvatarRejected(AVATAR_DIMENSIONS_MESSAGE));
      await expect(readdir(join(dir, 'uploads'))).rejects.toThrow(/ENOENT/);
    });

    it('judges the size from the header alone: the same image with its pixel data cut off gets the same answer', async () => {
      const headerOnly = await flatPng(6320, 6320, { bitDepth: 16, truncated: true });
      await expect(storage.store(headerOnly)).rejects.toThrow(new AvatarRejected(AVATAR_DIMENSIONS_MESSAGE));
      // Had it been decoded, the missing pixels would have been the complaint.
      const smallCut = await flatPng(2000, 2000, { truncated: true });
      await expect(storage.store(smallCut)).rejects.toThrow('This image could not be read. Choose another file.');
    });

    it('refuses 16 bits per channel where the pixels would otherwise pass, and takes the 8-bit twin', async () => {
      await expect(storage.store(await flatPng(3000, 3000, { bitDepth: 16, alpha: true }))).rejects.toThrow(
        new AvatarRejected(AVATAR_DIMENSIONS_MESSAGE),
      );
      expect(await storage.store(await flatPng(3000, 3000, { alpha: true }))).toMatch(/\.webp$/);
      expect(await storage.store(await flatPng(4096, 4096))).toMatch(/\.webp$/);
      await expect(storage.store(await flatPng(4097, 4096))).rejects.toThrow(AVATAR_DIMENSIONS_MESSAGE);
    });

    it(`decodes ${AVATAR_DECODE_SLOTS} images at a time, queues ${AVATAR_DECODE_QUEUE}, and asks any more to try again (503)`, async () => {
      const image = await picture('png', 64, 64);
      const uploads = AVATAR_DECODE_SLOTS + AVATAR_DECODE_QUEUE + 2;
      const outcomes = await Promise.allSettled(Array.from({ length: uploads }, () => storage.store(image)));
      const busy = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(AVATAR_DECODE_SLOTS + AVATAR_DECODE_QUEUE);
      expect(busy).toHaveLength(2);
      for (const rejected of busy) {
        expect(rejected.reason).toEqual(new AvatarRejected(AVATAR_BUSY_MESSAGE));
        expect((rejected.reason as AvatarRejected).status).toBe(503);
      }
      // The slots are all given back: a later upload goes through.
      expect(await storage.store(image)).toMatch(/\.webp$/);
    });
  });

  it('serves only names it hands out', () => {
    expect(storage.pathOf('../secret.webp')).toBeNull();
    expect(storage.pathOf('a'.repeat(32) + '.png')).toBeNull();
    expect(storage.pathOf('a'.repeat(32) + '.webp')).toBe(join(dir, 'uploads', 'a'.repeat(32) + '.webp'));
  });

  it('removes a file, and does not mind one already gone', async () => {
    const name = await storage.store(await picture('png'));
    await storage.remove(name);
    await storage.remove(name);
    expect(await readdir(join(dir, 'uploads'))).toEqual([]);
  });
});
