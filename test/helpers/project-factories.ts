import { randomBytes, randomUUID } from 'node:crypto';
import type { User } from '../../src/accounts/user.model';
import { Invitation } from '../../src/invitations/invitation.model';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { Ticket, TicketStatus } from '../../src/tickets/ticket.model';

export function uniqueName(prefix = 'Project'): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** A project straight in the database, with the given members. */
export async function createProject(
  options: { name?: string; description?: string; members?: User[]; createdBy?: User } = {},
): Promise<Project> {
  const project = await Project.create({
    name: options.name ?? uniqueName(),
    description: options.description ?? '',
    createdBy: options.createdBy?.id ?? null,
  });
  if (options.members?.length) {
    await ProjectMember.bulkCreate(options.members.map((user) => ({ projectId: project.id, userId: user.id })));
  }
  return project;
}

let ticketNumber = 0;

/** A ticket straight in the database (the tickets module owns the real creation flow). */
export async function createTicket(
  project: Project,
  reporter: User,
  options: { title?: string; status?: TicketStatus } = {},
): Promise<Ticket> {
  ticketNumber += 1;
  return Ticket.create({
    projectId: project.id,
    number: ticketNumber,
    reporterId: reporter.id,
    title: options.title ?? uniqueName('Ticket'),
    status: options.status ?? 'OPEN',
  });
}

export async function createInvitation(
  project: Project | null,
  sender: User,
  options: { isUsed?: boolean; revokedAt?: Date } = {},
): Promise<Invitation> {
  return Invitation.create({
    tokenHash: randomBytes(32).toString('hex'),
    email: `invitee-${randomUUID().slice(0, 8)}@example.test`,
    senderId: sender.id,
    projectId: project?.id ?? null,
    isUsed: options.isUsed ?? false,
    usedAt: options.isUsed ? new Date() : null,
    revokedAt: options.revokedAt ?? null,
    expiresAt: new Date(Date.now() + 48 * 3_600_000),
  });
}
