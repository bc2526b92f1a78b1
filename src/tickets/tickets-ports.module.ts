import { Global, Injectable, Module } from '@nestjs/common';
import { InjectModel, SequelizeModule } from '@nestjs/sequelize';
import { literal, Op, WhereOptions } from 'sequelize';
import { DONE_STATUS } from '../common/board-contract';
import { AssignedPage, AssignedTicket, AssignedTickets } from '../projects/assigned-tickets';
import { Ticket } from './ticket.model';

@Injectable()
class OpenAssignments extends AssignedTickets {
  constructor(@InjectModel(Ticket) private readonly tickets: typeof Ticket) {
    super();
  }

  /**
   * One statement on the index tickets_assignee_updated: the page, each row carrying the total
   * (a window count). Only a page past the end, which has no row to carry it, costs a count.
   */
  async openFor(
    userId: string,
    projects: WhereOptions,
    page: { limit: number; offset: number },
  ): Promise<AssignedPage> {
    const where = { assigneeId: userId, status: { [Op.ne]: DONE_STATUS } };
    const include = [{ association: 'project', attributes: ['name'], where: projects, required: true }];
    const rows = (await this.tickets.findAll({
      attributes: [
        'id',
        'projectId',
        'number',
        'title',
        'status',
        'priority',
        'updatedAt',
        [literal('COUNT(*) OVER ()'), 'total'],
      ],
      where,
      include,
      order: [
        ['updatedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: page.limit,
      offset: page.offset,
      raw: true,
      nest: true,
    })) as unknown as (Omit<AssignedTicket, 'projectName' | 'updatedAt'> & {
      updatedAt: Date | string;
      total: number | string;
      project: { name: string };
    })[];
    const total = rows.length
      ? Number(rows[0].total)
      : page.offset > 0
        ? await this.tickets.count({ where, include })
        : 0;
    return {
      total,
      tickets: rows.map((row) => ({
        id: row.id,
        projectId: row.projectId,
        projectName: row.project.name,
        number: Number(row.number),
        title: row.title,
        status: row.status,
        priority: row.priority,
        // PostgreSQL gives a Date, SQLite the stored text.
        updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
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
