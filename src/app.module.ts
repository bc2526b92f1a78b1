import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsModule } from './accounts/accounts.module';
import { ActivityModule } from './activity/activity.module';
import { CommentsModule } from './comments/comments.module';
import { HttpErrorFilter } from './common/filters/http-error.filter';
import { RolesGuard } from './common/guards/roles.guard';
import { SessionGuard } from './common/guards/session.guard';
import { ModalResultInterceptor } from './common/unpoly/modal-result.interceptor';
import { RedisModule } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InvitationsModule } from './invitations/invitations.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveModule } from './live/live.module';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProjectAccessGuard } from './projects/project-access.guard';
import { ProjectsModule } from './projects/projects.module';
import { TicketsModule } from './tickets/tickets.module';

export interface AppModuleOptions {
  /** Run Bull consumers in this process: true only for the worker. */
  consumeJobs?: boolean;
}

/** The whole application, built from one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule,
        RedisModule,
        JobsModule.forRoot(config, { consume: options.consumeJobs ?? false }),
        MailModule,
        AccountsModule,
        ProjectsModule,
        InvitationsModule,
        TicketsModule,
        ActivityModule,
        CommentsModule,
        NotificationsModule,
        LiveModule,
        HealthModule,
      ],
      providers: [
        // Guards run in this order: signed in, then access to the project (@ProjectAccess), then role.
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_GUARD, useClass: ProjectAccessGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        // Handlers return what happened (a ModalResult); this writes the Unpoly or plain answer.
        { provide: APP_INTERCEPTOR, useClass: ModalResultInterceptor },
      ],
    };
  }
}
