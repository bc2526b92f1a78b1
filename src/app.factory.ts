import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Sequelize } from 'sequelize-typescript';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { RedisConnection } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { createMigrator } from './database/migrator';

/** Raised when a service the app needs cannot be reached at start; its message is one clear line. */
export class StartupError extends Error {}

/** One clear line for a start-up failure: a known cause names the variable, anything else keeps its stack. */
export function describeStartupFailure(error: unknown): string {
  if (error instanceof StartupError) return error.message;
  const name = (error as { name?: unknown })?.name;
  if (typeof name === 'string' && name.startsWith('Sequelize')) {
    return `Cannot reach the database (DATABASE_URL): ${(error as Error).message}`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Checks the database and Redis once, so that start-up fails fast with a message naming the service. */
export async function assertServicesReachable(
  app: { get: NestExpressApplication['get'] },
  config: AppConfig,
): Promise<void> {
  try {
    await app.get(Sequelize).authenticate();
  } catch (error) {
    throw new StartupError(`Cannot reach the database (DATABASE_URL): ${(error as Error).message}`);
  }
  if (!config.redisUrl) return;
  try {
    await app.get(RedisConnection).ping(3000);
  } catch (error) {
    throw new StartupError(`Cannot reach Redis (REDIS_URL): ${(error as Error).message}`);
  }
}

/** Applies pending migrations on the app's own connection. */
export async function migrate(app: { get: NestExpressApplication['get'] }): Promise<void> {
  const executed = await createMigrator(app.get(Sequelize)).up();
  if (executed.length) new Logger('Database').log(`applied migrations: ${executed.map((m) => m.name).join(', ')}`);
}

/** Builds the web application exactly as main.ts serves it (tests use it too). */
export async function createWebApp(
  config: AppConfig,
  options: { quiet?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    abortOnError: false,
    logger: config.nodeEnv === 'test' || options.quiet ? ['error', 'warn'] : undefined,
  });
  configureApp(app, config);
  return app;
}
