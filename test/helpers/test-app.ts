import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Sequelize } from 'sequelize-typescript';
import { createWebApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { testConfig } from './test-config';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: Server;
  sequelize: Sequelize;
  get: NestExpressApplication['get'];
  close(): Promise<void>;
}

/** Boots the real web application (same setup as main.ts) on the test database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const app = await createWebApp(config);
  await app.init();
  return {
    app,
    config,
    http: app.getHttpServer(),
    sequelize: app.get(Sequelize),
    get: app.get.bind(app),
    close: () => app.close(),
  };
}
