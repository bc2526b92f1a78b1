import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsModule } from '../accounts/accounts.module';
import { ProjectsModule } from '../projects/projects.module';
import { NotificationJobs } from './notification-jobs';
import { NotificationMailJob } from './notification-mail.job';
import { Notification } from './notification.model';
import { NotificationsController } from './notifications.controller';
import { NotificationsListener } from './notifications.listener';
import { NotificationsService } from './notifications.service';

/** What people are told about tickets that concern them: owns `notifications`. */
@Module({
  imports: [SequelizeModule.forFeature([Notification]), AccountsModule, ProjectsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsListener, NotificationMailJob, NotificationJobs],
  exports: [NotificationsService, NotificationJobs],
})
export class NotificationsModule {}
