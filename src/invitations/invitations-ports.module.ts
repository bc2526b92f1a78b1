import { Global, Injectable, Module } from '@nestjs/common';
import { InjectModel, SequelizeModule } from '@nestjs/sequelize';
import { literal, Op } from 'sequelize';
import { ProjectDependents } from '../projects/project-dependents';
import { Invitation } from './invitation.model';

@Injectable()
class InvitationsOfProjects extends ProjectDependents {
  constructor(@InjectModel(Invitation) private readonly invitations: typeof Invitation) {
    super();
  }

  /** The open invitations deleting the project revokes: those it is the only project of. */
  pendingInvitations(projectId: string): Promise<number> {
    const id = this.invitations.sequelize!.escape(projectId);
    return this.invitations.count({
      where: {
        isUsed: false,
        revokedAt: null,
        [Op.and]: [
          {
            [Op.or]: [
              { projectId },
              {
                id: {
                  [Op.in]: literal(`(SELECT invitation_id FROM invitation_projects WHERE project_id = ${id})`),
                },
              },
            ],
          },
          literal(
            `NOT EXISTS (SELECT 1 FROM invitation_projects other WHERE other.invitation_id = "Invitation"."id" AND other.project_id <> ${id})`,
          ),
        ],
      },
    });
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
