import { Global, Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { ActivityModule } from '../activity/activity.module';
import { ProjectsModule } from '../projects/projects.module';
import { TicketTimeline } from '../tickets/ticket-timeline';
import { Comment } from './comment.model';
import { CommentsTimeline } from './comments-timeline';

/** What the comments module answers for the tickets module beneath it (global, so tickets needs no import). */
@Global()
@Module({
  imports: [SequelizeModule.forFeature([Comment]), ActivityModule, ProjectsModule],
  providers: [{ provide: TicketTimeline, useClass: CommentsTimeline }],
  exports: [TicketTimeline],
})
export class CommentsPortsModule {}
