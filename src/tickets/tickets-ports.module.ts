import { Global, Injectable, Module } from '@nestjs/common';
import { InjectModel, SequelizeModule } from '@nestjs/sequelize';
import { Op, WhereOptions } from 'sequelize';
import { DONE_STATUS } from '../common/board-contract';
import { AssignedPage, AssignedTickets } from '../projects/assigned-tickets';
import { Ticket } from './ticket.model';

@Injectable()
class OpenAssignments extends AssignedTickets {
  constructor(@InjectModel(Ticket) private readonly tickets: typeof Ticket) {
    super();
  }

  /** Two statements (count, page), on the index tickets_assignee_updated. */
  async openFor(
    userId: string,
    projects: WhereOptions,
    page: { limit: number; offset: number },
  ): Promise<AssignedPage> {
    const { rows, count } = await this.tickets.findAndCountAll({
      attributes: ['id', 'projectId', 'number', 'title', 'status', 'priority', 'updatedAt'],
      where: { assigneeId: userId, status: { [Op.ne]: DONE_STATUS } },
      include: [{ association: 'project', attributes: ['id', 'name'], where: projects, required: true }],
      order: [
        ['updatedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: page.limit,
      offset: page.offset,
    });
    return {
      total: count,
      tickets: rows.map((ticket) => ({
        id: ticket.id,
        projectId: ticket.projectId,
        projectName: ticket.project?.name ?? '',
        number: ticket.number,
        title: ticket.title,
        status: ticket.status,
        priority: ticket.priority,
        updatedAt: ticket.updatedAt,
      })),
    };
  }
}

/** What the tickets module answers for the projects module beneath it (global, so projects needs no import). */
@Global()
@Module({
  imports: [SequelizeModule.forFeature([Ticket])],
  providers: [{ provide: AssignedTickets, useClass: OpenAssignments }],
  exports: [AssignedTickets],
})
export class TicketsPortsModule {}
