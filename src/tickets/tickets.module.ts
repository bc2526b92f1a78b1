import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ActivityModule } from '../activity/activity.module';
import { ProjectsModule } from '../projects/projects.module';
import { BoardController } from './board.controller';
import { BoardFragments } from './board-fragments';
import { Ticket } from './ticket.model';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [SequelizeModule.forFeature([Ticket]), ProjectsModule, ActivityModule],
  controllers: [TicketsController, BoardController],
  providers: [TicketsService, BoardFragments],
  exports: [TicketsService],
})
export class TicketsModule {}
