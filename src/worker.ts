import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { assertServicesReachable, describeStartupFailure } from './app.factory';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './config/load-config';

/** `npm run worker`: consumes Bull jobs (mail, maintenance) and serves no HTTP. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.redisUrl) {
    console.error('Configuration error: the worker needs REDIS_URL (without it, jobs run inside the web process)');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { consumeJobs: true }), {
    abortOnError: false,
  });
  await assertServicesReachable(app, config);
  app.enableShutdownHooks();
  new Logger('hticket').log('worker is consuming jobs');
}

bootstrap().catch((error: unknown) => {
  console.error(describeStartupFailure(error));
  process.exit(1);
});
