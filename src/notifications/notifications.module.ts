import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ProjectsModule } from '../projects/projects.module';
import { Notification } from './notification.model';
import { NotificationsController } from './notifications.controller';
import { NotificationsListener } from './notifications.listener';
import { NotificationsService } from './notifications.service';

/** What people are told about tickets that concern them: owns `notifications`. */
@Module({
  imports: [SequelizeModule.forFeature([Notification]), ProjectsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsListener],
  exports: [NotificationsService],
})
export class NotificationsModule {}
