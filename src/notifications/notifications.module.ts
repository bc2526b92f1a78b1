import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsModule } from '../accounts/accounts.module';
import { ProjectsModule } from '../projects/projects.module';
import { NotificationJobs } from './notification-jobs';
import { NotificationMailJob } from './notification-mail.job';
import { Notification } from './notification.model';
import { NotificationPreference } from './notification-preference.model';
import { NotificationPreferencesService } from './notification-preferences.service';
import { NotificationsController } from './notifications.controller';
import { NotificationPreferencesController } from './notification-preferences.controller';
import { NotificationsListener } from './notifications.listener';
import { NotificationsService } from './notifications.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** What people are told about tickets that concern them: owns `notifications`. */
@Module({
  imports: [SequelizeModule.forFeature([Notification, NotificationPreference]), AccountsModule, ProjectsModule],
  controllers: [NotificationPreferencesController, NotificationsController, UnsubscribeController],
  providers: [
    NotificationsService,
    NotificationPreferencesService,
    NotificationsListener,
    NotificationMailJob,
    NotificationJobs,
  ],
  exports: [NotificationsService, NotificationJobs],
})
export class NotificationsModule {}
