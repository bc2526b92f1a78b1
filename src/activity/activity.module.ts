import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsModule } from '../accounts/accounts.module';
import { ActivityService } from './activity.service';
import { TicketActivity } from './ticket-activity.model';

/** The history of tickets: owns `ticket_activity`. */
@Module({
  imports: [SequelizeModule.forFeature([TicketActivity]), AccountsModule],
  providers: [ActivityService],
  exports: [ActivityService],
})
export class ActivityModule {}
