import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AvatarStorage } from './avatar-storage';

/**
 * Serves stored avatars to signed-in people. File names are random and never reused, so a
 * browser may keep one for a year; `nosniff` keeps it from being read as anything but an image.
 */
@Controller('avatars')
export class AvatarsController {
  constructor(private readonly avatars: AvatarStorage) {}

  @Get(':file')
  serve(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const path = this.avatars.pathOf(file);
    if (!path) throw new NotFoundException();
    return new Promise((resolve, reject) => {
      res.sendFile(
        path,
        {
          cacheControl: false,
          lastModified: false,
          headers: {
            'Content-Type': 'image/webp',
            'Cache-Control': 'private, max-age=31536000, immutable',
            'X-Content-Type-Options': 'nosniff',
          },
        },
        (error?: Error) => {
          if (!error) return resolve();
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { status?: number }).status === 404) {
            return reject(new NotFoundException());
          }
          reject(error);
        },
      );
    });
  }
}
