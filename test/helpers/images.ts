import { readdir } from 'node:fs/promises';
import { constants, crc32, createDeflate } from 'node:zlib';
import sharp from 'sharp';

/** A real image of the given format and size, drawn by sharp. */
export function image(format: 'jpeg' | 'png' | 'webp' | 'gif', width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .toFormat(format)
    .toBuffer();
}

/** A valid PNG of random pixels, which does not compress: about width × height × 3 bytes. */
export function noisyPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 2654435761) >>> 24) ^ (i & 0xff);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** The files in a directory; none when it does not exist yet. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * A valid PNG of one flat colour, so that it stays small however many pixels it declares (a
 * 6320 × 6320 16-bit one is about 250 KB, and decodes to 240 MB). Written chunk by chunk, so that
 * making it never holds the bitmap. `truncated` keeps only the first 64 bytes of the pixel data:
 * the header is intact, decoding fails.
 */
export async function flatPng(
  width: number,
  height: number,
  options: { bitDepth?: 8 | 16; alpha?: boolean; truncated?: boolean } = {},
): Promise<Buffer> {
  const bitDepth = options.bitDepth ?? 8;
  const channels = options.alpha ? 4 : 3;
  const row = Buffer.alloc(1 + width * channels * (bitDepth / 8)); // filter byte 0, then black pixels
  const deflate = createDeflate({ level: constants.Z_BEST_COMPRESSION });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  let pixels = Buffer.concat(compressed);
  if (options.truncated) pixels = pixels.subarray(0, 64);

  const chunk = (type: string, data: Buffer) => {
    const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(bitDepth, 8);
  header.writeUInt8(options.alpha ? 6 : 2, 9); // colour type: RGB or RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
