import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Transaction } from 'sequelize';
import { UserDeactivated, UserRoleChanged } from '../accounts/account-events';
import { AccountsService } from '../accounts/accounts.service';
import { CommentAdded } from '../comments/comment-events';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { NotificationsCreated } from '../notifications/notification-events';
import { MembershipsService } from '../projects/memberships.service';
import { MemberRemoved, ProjectDeleting } from '../projects/project-events';
import { TicketChanged, TicketDeleted, type ChangedTicket } from '../tickets/ticket-events';
import { LiveBus } from './live-bus';
import type { LiveControl } from './live-message';
import { personChannel, projectChannel } from './live-message';

/**
 * Turns the other modules' domain events into live events, published once their transaction
 * commits (never for a change that rolls back). Publishing is best effort: a failure is logged,
 * and the pages still show the change on their next load.
 */
@Injectable()
export class LiveListener {
  private readonly logger = new Logger('LiveListener');

  constructor(
    private readonly bus: LiveBus,
    private readonly accounts: AccountsService,
    private readonly memberships: MembershipsService,
  ) {}

  @OnEvent(TicketChanged.event)
  ticketChanged(event: TicketChanged): void {
    this.afterCommit(event.transaction, () => this.ticket(event.ticket, event.actorId));
  }

  @OnEvent(TicketDeleted.event)
  ticketDeleted(event: TicketDeleted): void {
    this.afterCommit(event.transaction, () => this.ticket(event.ticket, event.actorId));
  }

  @OnEvent(CommentAdded.event)
  commentAdded(event: CommentAdded): void {
    this.afterCommit(event.transaction, async () => {
      const by = await this.nameOf(event.comment.authorId);
      await this.bus.publish(projectChannel(event.ticket.projectId), {
        emit: [APP_EVENTS.ticketsChanged],
        ticketId: event.ticket.id,
        by,
        actorId: event.comment.authorId,
      });
    });
  }

  @OnEvent(NotificationsCreated.event)
  notificationsCreated(event: NotificationsCreated): void {
    this.afterCommit(event.transaction, () =>
      Promise.all(
        event.recipientIds.map((id) =>
          this.bus.publish(personChannel(id), { emit: [APP_EVENTS.notificationsChanged] }),
        ),
      ),
    );
  }

  @OnEvent(MemberRemoved.event)
  memberRemoved(event: MemberRemoved): void {
    this.afterCommit(event.transaction, async () => {
      await this.control({ kind: 'access', userId: event.userId, projectId: event.projectId });
      await this.bus.publish(personChannel(event.userId), { emit: [APP_EVENTS.projectsChanged] });
    });
  }

  @OnEvent(UserDeactivated.event)
  userDeactivated(event: UserDeactivated): void {
    this.afterCommit(event.transaction, () => this.control({ kind: 'access', userId: event.userId }));
  }

  @OnEvent(UserRoleChanged.event)
  userRoleChanged(event: UserRoleChanged): void {
    this.afterCommit(event.transaction, () => this.control({ kind: 'access', userId: event.userId }));
  }

  @OnEvent(ProjectDeleting.event)
  projectDeleting(event: ProjectDeleting): void {
    this.afterCommit(event.transaction, () =>
      this.control({ kind: 'access', projectId: event.projectId, projectGone: true }),
    );
  }

  /** The board, list and open modals of the project; the dashboards of everyone with access (counts, "assigned to me"). */
  private async ticket(ticket: ChangedTicket, actorId: string): Promise<void> {
    const by = await this.nameOf(actorId);
    await this.bus.publish(projectChannel(ticket.projectId), {
      emit: [APP_EVENTS.ticketsChanged],
      ticketId: ticket.id,
      by,
      actorId,
    });
    const people = await this.memberships.peopleWithAccess(ticket.projectId);
    await Promise.all(
      people.map((person) =>
        this.bus.publish(personChannel(person.id), { emit: [APP_EVENTS.ticketsChanged, APP_EVENTS.projectsChanged] }),
      ),
    );
  }

  private async nameOf(userId: string): Promise<string> {
    return (await this.accounts.displayNames([userId])).get(userId) ?? 'someone';
  }

  private control(message: LiveControl): Promise<void> {
    return this.bus.control(message);
  }

  private afterCommit(transaction: Transaction, publish: () => Promise<unknown>): void {
    transaction.afterCommit(() => {
      publish().catch((error: unknown) => this.logger.warn(`A live update was not published: ${String(error)}`));
    });
  }
}
