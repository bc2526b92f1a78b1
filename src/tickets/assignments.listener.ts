import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { UserDeactivated, UserRoleChanged } from '../accounts/account-events';
import { MemberRemoved } from '../projects/project-events';
import { TicketsService } from './tickets.service';

/**
 * Nobody keeps open assignments where they lost access (README, "Assignees"): each way of losing
 * it unassigns them in its own transaction, so the change and the unassignment commit together.
 */
@Injectable()
export class AssignmentsListener {
  constructor(private readonly tickets: TicketsService) {}

  @OnEvent(MemberRemoved.event, { suppressErrors: false })
  async memberRemoved({ projectId, userId, transaction }: MemberRemoved): Promise<void> {
    await this.tickets.unassignWithoutAccess(userId, transaction, projectId);
  }

  @OnEvent(UserDeactivated.event, { suppressErrors: false })
  async userDeactivated({ userId, transaction }: UserDeactivated): Promise<void> {
    await this.tickets.unassignWithoutAccess(userId, transaction);
  }

  @OnEvent(UserRoleChanged.event, { suppressErrors: false })
  async roleChanged({ userId, transaction }: UserRoleChanged): Promise<void> {
    await this.tickets.unassignWithoutAccess(userId, transaction);
  }
}
