import { Injectable } from '@nestjs/common';
import { Sequelize } from 'sequelize-typescript';
import { RedisConnection, withTimeout } from '../common/redis/redis.module';

/** 'ok', or what failed. */
export type CheckState = string;

@Injectable()
export class HealthService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly redis: RedisConnection,
  ) {}

  async check(): Promise<Record<string, CheckState>> {
    const [database, redis] = await Promise.all([
      this.probe(() => withTimeout(this.sequelize.query('SELECT 1'), 2000, 'database did not answer')),
      this.redis.client ? this.probe(() => this.redis.ping(1000)) : Promise.resolve(undefined),
    ]);
    return redis === undefined ? { database } : { database, redis };
  }

  private async probe(check: () => Promise<unknown>): Promise<CheckState> {
    try {
      await check();
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
