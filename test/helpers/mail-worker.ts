import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { SmtpSink, startSmtpSink } from './smtp-sink';
import { startTestApp, TestApp } from './test-app';

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

/** The test app with a real SMTP server to mail to and, with Redis, a worker that sends the mail. */
export interface MailTestbed {
  smtp: SmtpSink;
  app: TestApp;
  close(): Promise<void>;
}

export async function startMailTestbed(env: Record<string, string> = {}): Promise<MailTestbed> {
  const smtp = await startSmtpSink();
  const app = await startTestApp({ SMTP_URL: smtp.url, ...env });
  const worker = await startWorker(app.config);
  return {
    smtp,
    app,
    close: async () => {
      await worker?.close();
      await app.close();
      await smtp.close();
    },
  };
}
