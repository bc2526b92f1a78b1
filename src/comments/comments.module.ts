import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ActivityModule } from '../activity/activity.module';
import { ProjectsModule } from '../projects/projects.module';
import { TicketsModule } from '../tickets/tickets.module';
import { Comment } from './comment.model';
import { CommentsController } from './comments.controller';
import { CommentsPortsModule } from './comments-ports.module';
import { CommentsService } from './comments.service';

/** Comments on tickets, and the ticket timeline (comments and history) it provides: owns `comments`. */
@Module({
  imports: [SequelizeModule.forFeature([Comment]), TicketsModule, ActivityModule, ProjectsModule, CommentsPortsModule],
  controllers: [CommentsController],
  providers: [CommentsService],
  exports: [CommentsService],
})
export class CommentsModule {}
