import { randomUUID } from 'node:crypto';
import type { User } from '../../src/accounts/user.model';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { Ticket, TicketPriority, TicketStatus } from '../../src/tickets/ticket.model';

/** A project with these users as members (managers need no membership). */
export async function createProject(
  members: User[] = [],
  name = `Project ${randomUUID().slice(0, 6)}`,
): Promise<Project> {
  const project = await Project.create({ name, description: 'A project for tests' });
  if (members.length)
    await ProjectMember.bulkCreate(members.map((user) => ({ projectId: project.id, userId: user.id })));
  return project;
}

/** Inserts `count` tickets at once (numbered after the project's counter), bypassing the form. */
export async function createTickets(
  project: Project,
  reporter: User,
  count: number,
  fields: (index: number) => Partial<{
    title: string;
    description: string;
    status: TicketStatus;
    priority: TicketPriority;
    assigneeId: string | null;
    updatedAt: Date;
  }> = () => ({}),
): Promise<Ticket[]> {
  await project.reload();
  const start = project.ticketSeq;
  const base = Date.now() - count * 1000;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    projectId: project.id,
    reporterId: reporter.id,
    number: start + i + 1,
    title: `Ticket ${start + i + 1}`,
    description: '',
    status: 'OPEN',
    priority: 'MEDIUM',
    createdAt: new Date(base + i * 1000),
    updatedAt: new Date(base + i * 1000),
    ...fields(i),
  }));
  const tickets = await Ticket.bulkCreate(rows);
  await project.update({ ticketSeq: start + count });
  return tickets;
}
