import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ActivityService } from './activity.service';
import { TicketActivity } from './ticket-activity.model';

/** The history of tickets: owns `ticket_activity`. */
@Module({
  imports: [SequelizeModule.forFeature([TicketActivity])],
  providers: [ActivityService],
  exports: [ActivityService],
})
export class ActivityModule {}
