import { Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { DashboardController } from './dashboard.controller';
import { ProjectAccessService } from './project-access.service';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';
import { ProjectsService } from './projects.service';

@Module({
  imports: [SequelizeModule.forFeature([Project, ProjectMember])],
  controllers: [DashboardController],
  providers: [ProjectsService, ProjectAccessService],
  exports: [ProjectsService, ProjectAccessService],
})
export class ProjectsModule {}
