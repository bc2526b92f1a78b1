import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { JobHandlers } from '../../src/jobs/job-handlers';
import { JobQueue } from '../../src/jobs/job-queue';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesRedis } from '../helpers/test-config';
import { eventually } from '../helpers/eventually';

(usesRedis() ? describe : describe.skip)('jobs on Redis (Bull)', () => {
  let web: TestApp;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    web = await startTestApp();
  });
  afterAll(async () => {
    await worker?.close();
    await web.close();
  });

  it('the web process only enqueues; a worker consumes, once per job id', async () => {
    const received: unknown[] = [];
    web.get(JobHandlers).register('mail', 'probe', async (data) => {
      received.push({ by: 'web', data });
    });
    const queue = web.get(JobQueue);
    expect(queue.durable).toBe(true);
    await queue.add('mail', 'probe', { n: 1 }, { jobId: 'probe-1' });
    await queue.add('mail', 'probe', { n: 1 }, { jobId: 'probe-1' });

    worker = await NestFactory.createApplicationContext(AppModule.forRoot(web.config, { consumeJobs: true }), {
      logger: ['error'],
    });
    worker.get(JobHandlers).register('mail', 'probe', async (data) => {
      received.push({ by: 'worker', data });
    });
    await worker.init();
    await eventually(async () => received.length > 0, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toEqual([{ by: 'worker', data: { n: 1 } }]);
  });
});

(usesRedis() ? describe.skip : describe)('jobs without Redis (development mode)', () => {
  let web: TestApp;

  beforeAll(async () => {
    web = await startTestApp();
  });
  afterAll(() => web.close());

  it('runs jobs in-process and retries a failing one', async () => {
    let attempts = 0;
    web.get(JobHandlers).register('mail', 'flaky', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
    });
    const queue = web.get(JobQueue);
    expect(queue.durable).toBe(false);
    await queue.add('mail', 'flaky', {});
    await eventually(async () => attempts === 2, 15_000);
  });
});
