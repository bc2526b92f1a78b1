import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Sequelize } from 'sequelize-typescript';
import { AppModule } from '../../src/app.module';
import { testConfig } from '../helpers/test-config';

export interface Services {
  get: INestApplicationContext['get'];
  sequelize: Sequelize;
  close(): Promise<void>;
}

/**
 * The whole application without HTTP (as the REPL builds it: no job consumers), on the test
 * database, for calling services directly.
 */
export async function startServices(): Promise<Services> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(testConfig()), { logger: false });
  return { get: context.get.bind(context), sequelize: context.get(Sequelize), close: () => context.close() };
}

/** Argon2 and a loaded machine: set-ups that hash or boot the app get this much time. */
export const SLOW_SETUP_MS = 60_000;
