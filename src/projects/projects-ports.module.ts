import { Global, Injectable, Module } from '@nestjs/common';
import { InjectModel, SequelizeModule } from '@nestjs/sequelize';
import { PeopleProjects, ProjectRef } from '../accounts/people-projects';
import { ProjectMember } from './project-member.model';

@Injectable()
class MembershipDirectory extends PeopleProjects {
  constructor(@InjectModel(ProjectMember) private readonly members: typeof ProjectMember) {
    super();
  }

  /** One query whatever the number of people and memberships. */
  async byPerson(): Promise<Map<string, ProjectRef[]>> {
    const memberships = await this.members.findAll({
      attributes: ['userId', 'projectId'],
      include: [{ association: 'project', attributes: ['id', 'name'], required: true }],
      order: [['project', 'name', 'ASC']],
    });
    const byUser = new Map<string, ProjectRef[]>();
    for (const membership of memberships) {
      const list = byUser.get(membership.userId) ?? [];
      list.push({ id: membership.project!.id, name: membership.project!.name });
      byUser.set(membership.userId, list);
    }
    return byUser;
  }
}

/** What the projects module answers for the accounts module beneath it (global, so accounts needs no import). */
@Global()
@Module({
  imports: [SequelizeModule.forFeature([ProjectMember])],
  providers: [{ provide: PeopleProjects, useClass: MembershipDirectory }],
  exports: [PeopleProjects],
})
export class ProjectsPortsModule {}
