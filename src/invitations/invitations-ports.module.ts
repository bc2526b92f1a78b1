import { Global, Injectable, Module } from '@nestjs/common';
import { InjectModel, SequelizeModule } from '@nestjs/sequelize';
import { ProjectDependents } from '../projects/project-dependents';
import { pendingWhere } from './invitation-rules';
import { Invitation } from './invitation.model';

@Injectable()
class InvitationsOfProjects extends ProjectDependents {
  constructor(@InjectModel(Invitation) private readonly invitations: typeof Invitation) {
    super();
  }

  pendingInvitations(projectId: string): Promise<number> {
    return this.invitations.count({ where: pendingWhere({ projectId }) });
  }
}

/** What the invitations module answers for the projects module beneath it (global, so projects needs no import). */
@Global()
@Module({
  imports: [SequelizeModule.forFeature([Invitation])],
  providers: [{ provide: ProjectDependents, useClass: InvitationsOfProjects }],
  exports: [ProjectDependents],
})
export class InvitationsPortsModule {}
