import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';

/**
 * A worker process on the test app's configuration (same queue prefix): consumes the Bull
 * queues. Null without REDIS_URL, where the web app runs jobs itself.
 */
export async function startWorker(config: AppConfig): Promise<INestApplicationContext | null> {
  if (!config.redisUrl) return null;
  const worker = await NestFactory.createApplicationContext(AppModule.forRoot(config, { consumeJobs: true }), {
    logger: ['error'],
  });
  await worker.init();
  return worker;
}
