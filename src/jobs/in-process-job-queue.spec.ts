import { Logger } from '@nestjs/common';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobHandlers } from './job-handlers';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessJobQueue shutdown', () => {
  let handlers: JobHandlers;
  let queue: InProcessJobQueue;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    handlers = new JobHandlers();
    queue = new InProcessJobQueue(handlers);
  });
  afterEach(() => jest.restoreAllMocks());

  it('waits for the jobs under way before the database closes', async () => {
    const events: string[] = [];
    let release!: () => void;
    handlers.register('mail', 'slow', async () => {
      events.push('started');
      await new Promise<void>((resolve) => (release = resolve));
      events.push('finished');
    });
    await queue.add('mail', 'slow', {});
    await tick(20);
    expect(events).toEqual(['started']);

    const shutdown = queue.beforeApplicationShutdown().then(() => events.push('shut down'));
    await tick(20);
    expect(events).toEqual(['started']);
    release();
    await shutdown;
    expect(events).toEqual(['started', 'finished', 'shut down']);
  });

  it('starts nothing once shutting down: neither waiting jobs, nor retries, nor new ones', async () => {
    const runs: string[] = [];
    handlers.register('mail', 'failing', async () => {
      runs.push('failing');
      await tick(20);
      throw new Error('first attempt fails');
    });
    handlers.register('mail', 'later', async () => {
      runs.push('later');
      await Promise.resolve();
    });
    await queue.add('mail', 'failing', {});
    await queue.add('mail', 'later', {}, { delayMs: 50 });
    await tick(5);
    await queue.beforeApplicationShutdown(); // the failing job ends and schedules a retry in 1 s
    await queue.add('mail', 'later', {});
    await tick(1200);
    expect(runs).toEqual(['failing']);
  });
});
