import { Module, OnApplicationShutdown } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { RedisConnection } from '../common/redis/redis.module';
import { AppConfig } from '../config/app-config';
import { ProjectsModule } from '../projects/projects.module';
import { LiveBus } from './live-bus';
import { LiveController } from './live.controller';
import { LiveListener } from './live.listener';
import { LiveStreams } from './live-streams';
import { LocalLiveBus } from './local-live-bus';
import { RedisLiveBus } from './redis-live-bus';

/**
 * Live updates (docs/architecture.md, "Live updates"): Server-Sent Events fed by the other
 * modules' domain events. Nothing imports this module; it only listens.
 */
@Module({
  imports: [AccountsModule, ProjectsModule],
  controllers: [LiveController],
  providers: [
    {
      provide: LiveBus,
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) =>
        redis.client
          ? new RedisLiveBus(redis.client, config.queuePrefix, config.liveLogSize)
          : new LocalLiveBus(config.liveLogSize),
    },
    LiveStreams,
    LiveListener,
  ],
})
export class LiveModule implements OnApplicationShutdown {
  constructor(private readonly bus: LiveBus) {}

  onApplicationShutdown(): void {
    if (this.bus instanceof RedisLiveBus) this.bus.close();
  }
}
