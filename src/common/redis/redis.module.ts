import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

/** A shared Redis connection for everything but Bull (rate limits, readiness), or null without REDIS_URL. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.client = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1 }) : null;
    // Errors surface through failed commands (readiness, rate limits); keep the log quiet.
    this.client?.on('error', () => undefined);
  }

  /** Resolves when Redis answers PING within the timeout; rejects otherwise. */
  async ping(timeoutMs = 1000): Promise<void> {
    if (!this.client) return;
    await withTimeout(this.client.ping(), timeoutMs, 'Redis did not answer');
  }

  onApplicationShutdown(): void {
    if (this.client && this.client.status !== 'end') this.client.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
