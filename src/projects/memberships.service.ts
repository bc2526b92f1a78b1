import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { LRUCache } from 'lru-cache';
import { Transaction, UniqueConstraintError } from 'sequelize';
import { AccountsService, PERSON_COLUMNS, PersonRow, personRow } from '../accounts/accounts.service';
import type { User } from '../accounts/user.model';
import { Conflict, InvalidInput, NotFound } from '../common/errors';
import { positional, PreparedReads } from '../database/prepared-reads';
import { WriteTransactions } from '../database/write-transactions';
import { MemberRemoved } from './project-events';
import { ProjectMember } from './project-member.model';
import type { Project } from './project.model';

/** The user ids of the project `:projectId`'s members, as a subquery for AccountsService.listActiveManagersOr. */
const MEMBERS_OF_PROJECT = 'SELECT user_id FROM project_members WHERE project_id = :projectId';

/** The number that moves with every change to who has access to which project and how they are shown (migration 0020). */
const PEOPLE_VERSION_SQL = '(SELECT version FROM people_version WHERE id = 1)';

/** A project's people with access as read at a people version. */
interface KeptPeople {
  version: number;
  people: PersonRow[];
}

/**
 * A project's peopleWithAccess folded into a larger statement (peopleWithAccessFoldSql), read
 * only when the list this process keeps for the project is out of date: `values` for its
 * placeholders, and `people(row)` the list from the statement's row.
 */
export interface PeopleFold {
  values: { knownPeopleVersion: number };
  people(row: { peopleJson: unknown; peopleVersion: number | string }): PersonRow[];
}

/** Who belongs to a project. Every lookup is scoped to the project of the URL. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    private readonly accounts: AccountsService,
    private readonly transactions: WriteTransactions,
    private readonly events: EventEmitter2,
    private readonly reads: PreparedReads,
  ) {}

  /** Each project's people with access as last read (a few thousand projects per process). */
  private readonly keptPeople = new LRUCache<string, KeptPeople>({ max: 5_000 });

  /**
   * peopleWithAccess as two columns of a larger statement, on `:projectId` and
   * `:knownPeopleVersion`: `peopleJson` (PreparedReads.jsonRows of the people, null when the
   * version is the known one) and `peopleVersion`. What a ticket's details read on every view,
   * and what changes least.
   */
  peopleWithAccessFoldSql(): string {
    return `CASE WHEN ${PEOPLE_VERSION_SQL} = :knownPeopleVersion THEN NULL
        ELSE ${this.reads.jsonRows(this.peopleWithAccessSql(), [...PERSON_COLUMNS])} END AS "peopleJson",
        ${PEOPLE_VERSION_SQL} AS "peopleVersion"`;
  }

  /** The people version (migration 0020) as a scalar subquery: it moves with anything peopleWithAccess gives. */
  peopleVersionSql(): string {
    return PEOPLE_VERSION_SQL;
  }

  /** What one read of peopleWithAccessFoldSql for this project needs and gives. */
  peopleWithAccessFold(projectId: string): PeopleFold {
    const kept = this.keptPeople.get(projectId);
    return {
      values: { knownPeopleVersion: kept?.version ?? -1 },
      people: (row) => {
        if (row.peopleJson === null && kept) return kept.people;
        const people = this.reads.listOf<Parameters<typeof personRow>[0]>(row.peopleJson).map(personRow);
        this.keptPeople.set(projectId, { version: Number(row.peopleVersion), people });
        return people;
      },
    };
  }

  /** peopleWithAccess's statement, prepared: every view of a ticket reads it (the assignee menu, mentions). */
  private readonly peopleWithAccessStatement = positional('people-with-access', this.peopleWithAccessSql());

  /**
   * peopleWithAccess as SQL on `:projectId`, numbered by `position`, for a page that folds the list
   * into its own statement (PreparedReads.jsonRows; columns PERSON_COLUMNS, rows read by personRow).
   */
  peopleWithAccessSql(): string {
    return this.accounts.activeManagersOrSql(MEMBERS_OF_PROJECT);
  }

  /**
   * The people with access to a project: its members and every manager, active accounts only,
   * by name. THE definition, in one statement: assignees are chosen among them (and mentions and
   * live updates are meant to use it too). `userId`: only that person, if they have access.
   */
  peopleWithAccess(
    projectId: string,
    options: { userId?: string; transaction?: Transaction } = {},
  ): Promise<PersonRow[]> {
    if (options.userId !== undefined && !isUUID(options.userId)) return Promise.resolve([]);
    if (options.userId === undefined && !options.transaction)
      return isUUID(projectId)
        ? this.accounts.peopleOf(this.peopleWithAccessStatement, { projectId })
        : Promise.resolve([]);
    return this.accounts.listActiveManagersOr(MEMBERS_OF_PROJECT, { projectId }, options);
  }

  /** Those of `userIds` who have access to the project (see peopleWithAccess): one statement, none when empty. */
  async withAccess(projectId: string, userIds: string[], transaction?: Transaction): Promise<string[]> {
    const candidates = [...new Set(userIds)].filter((id) => isUUID(id));
    if (!candidates.length) return [];
    const people = await this.accounts.listActiveManagersOr(
      MEMBERS_OF_PROJECT,
      { projectId },
      { userId: candidates, transaction },
    );
    return people.map((person) => person.id);
  }

  /** Whether this person has access to the project (see peopleWithAccess). */
  async hasAccess(projectId: string, userId: string, transaction?: Transaction): Promise<boolean> {
    return (await this.peopleWithAccess(projectId, { userId, transaction })).length > 0;
  }

  async listMembers(project: Project): Promise<User[]> {
    const memberships = await this.members.findAll({
      where: { projectId: project.id },
      include: [{ association: 'user', required: true }],
      order: [
        ['user', 'name', 'ASC'],
        ['user', 'email', 'ASC'],
      ],
    });
    return memberships.map((membership) => membership.user!);
  }

  /** A member of this project (scoped to it); NotFound('member') for anyone else. */
  async findMember(project: Project, userId: string): Promise<User> {
    const membership = isUUID(userId)
      ? await this.members.findOne({
          where: { projectId: project.id, userId },
          include: [{ association: 'user', required: true }],
        })
      : null;
    if (!membership?.user) throw new NotFound('member');
    return membership.user;
  }

  /** Active people who are not members yet: the choices of the "add a member" form. */
  async candidates(project: Project): Promise<User[]> {
    const memberships = await this.members.findAll({ attributes: ['userId'], where: { projectId: project.id } });
    return this.accounts.listActive(memberships.map((membership) => membership.userId));
  }

  /** Adds an active person to the project; returns them. */
  async add(project: Project, userId: string): Promise<User> {
    const user = await this.accounts.findActive(userId);
    if (!user) throw new InvalidInput({ userId: 'not-a-candidate' });
    if (!(await this.addIfAbsent(project.id, user.id))) throw new Conflict('already-member', user.displayName);
    return user;
  }

  /**
   * Makes the user a member; false when they were one already (also when another request added
   * them at the same moment).
   */
  async addIfAbsent(projectId: string, userId: string): Promise<boolean> {
    try {
      const [, created] = await this.members.findOrCreate({ where: { projectId, userId } });
      return created;
    } catch (error) {
      // Two requests adding the same person at once: the second insert hits the primary key.
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  }

  /** Makes a user who cannot be a member yet (an account being created) a member, in `transaction`. */
  async addNewMember(projectId: string, userId: string, transaction: Transaction): Promise<void> {
    await this.members.create({ projectId, userId }, { transaction });
  }

  /**
   * Removes a member; NotFound when the person is not a member of this project. Access ends with
   * their next request; MemberRemoved tells the modules above in the same transaction.
   */
  async remove(project: Project, userId: string): Promise<void> {
    if (!isUUID(userId)) throw new NotFound('member');
    await this.transactions.run(async (transaction) => {
      const removed = await this.members.destroy({ where: { projectId: project.id, userId }, transaction });
      if (!removed) throw new NotFound('member');
      await this.events.emitAsync(MemberRemoved.event, new MemberRemoved(project.id, userId, transaction));
    });
  }

  /**
   * The projects this person has access to, by the same rule as peopleWithAccess: every project
   * for an active manager, their memberships for an active member, none for a deactivated account.
   */
  async projectsAccessibleTo(userId: string, transaction?: Transaction): Promise<'all' | string[]> {
    const user = await this.accounts.findActive(userId, transaction);
    if (!user) return [];
    if (user.isManager) return 'all';
    const memberships = await this.members.findAll({ attributes: ['projectId'], where: { userId }, transaction });
    return memberships.map((membership) => membership.projectId);
  }
}
