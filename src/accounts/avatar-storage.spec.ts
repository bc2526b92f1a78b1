import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AppConfig } from '../config/app-config';
import { AVATAR_SIZE_MESSAGE, AVATAR_TYPE_MESSAGE, AvatarRejected, AvatarStorage } from './avatar-storage';

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
    ['svg', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')],
    ['text', async () => Buffer.from('hello')],
    ['empty', async () => Buffer.alloc(0)],
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
