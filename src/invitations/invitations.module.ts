import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsModule } from '../accounts/accounts.module';
import { ProjectsModule } from '../projects/projects.module';
import { Clock } from './clock';
import { InvitationJobs } from './invitation-jobs';
import { InvitationMailJob } from './invitation-mail.job';
import { Invitation } from './invitation.model';
import { InvitationProject } from './invitation-project.model';
import { InvitationsController } from './invitations.controller';
import { InvitationsPortsModule } from './invitations-ports.module';
import { InvitationsService } from './invitations.service';
import { JoinController } from './join.controller';
import { JoinService } from './join.service';

@Module({
  imports: [
    SequelizeModule.forFeature([Invitation, InvitationProject]),
    AccountsModule,
    ProjectsModule,
    InvitationsPortsModule,
  ],
  controllers: [InvitationsController, JoinController],
  providers: [Clock, InvitationsService, JoinService, InvitationMailJob, InvitationJobs],
  exports: [InvitationsService, InvitationJobs],
})
export class InvitationsModule {}
