/**
 * What depends on a project in modules above this one, for the deletion confirmation. Projects
 * never imports those modules: the invitations module provides this (see InvitationsPortsModule).
 */
export abstract class ProjectDependents {
  /** Invitations into the project that nobody used or revoked yet: deleting the project revokes them. */
  abstract pendingInvitations(projectId: string): Promise<number>;
}
