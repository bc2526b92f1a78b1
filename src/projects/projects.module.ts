import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsModule } from '../accounts/accounts.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { MembersController } from './members.controller';
import { MembershipsService } from './memberships.service';
import { ProjectAccessService } from './project-access.service';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';
import { ProjectsController } from './projects.controller';
import { ProjectsPortsModule } from './projects-ports.module';
import { ProjectsService } from './projects.service';

@Module({
  imports: [SequelizeModule.forFeature([Project, ProjectMember]), AccountsModule, ProjectsPortsModule],
  controllers: [DashboardController, ProjectsController, MembersController],
  providers: [ProjectsService, DashboardService, MembershipsService, ProjectAccessService],
  exports: [DashboardService, ProjectsService, MembershipsService, ProjectAccessService],
})
export class ProjectsModule {}
