import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ActivityModule } from '../activity/activity.module';
import { ProjectsModule } from '../projects/projects.module';
import { AssignmentsListener } from './assignments.listener';
import { BoardController } from './board.controller';
import { BoardFragments } from './board-fragments';
import { TicketDetailsPage } from './ticket-details-page';
import { KeptTicketDetails } from './kept-ticket-details';
import { Ticket } from './ticket.model';
import { TicketsController } from './tickets.controller';
import { TicketsPortsModule } from './tickets-ports.module';
import { TicketsService } from './tickets.service';

@Module({
  imports: [SequelizeModule.forFeature([Ticket]), ProjectsModule, ActivityModule, TicketsPortsModule],
  controllers: [TicketsController, BoardController],
  providers: [TicketsService, BoardFragments, TicketDetailsPage, KeptTicketDetails, AssignmentsListener],
  exports: [TicketsService, BoardFragments, TicketDetailsPage, KeptTicketDetails],
})
export class TicketsModule {}
