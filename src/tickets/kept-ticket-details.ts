import { Injectable } from '@nestjs/common';
import hbs from 'hbs';
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import type { User } from '../accounts/user.model';
import { MembershipsService } from '../projects/memberships.service';
import { boardVersionSql } from '../projects/project-row';
import type { Project } from '../projects/project.model';
import type { DetailsRead, DetailsRow } from './ticket-details-row';
import { TicketDetailsPage } from './ticket-details-page';
import { ticketPageTitle } from './ticket-view';
import { CSRF_FIELD } from '../common/security/csrf-field';

/** Characters of details kept per process as read (descriptions and history; the people are shared with MembershipsService). */
const READ_CHARACTERS = 4 * 1024 * 1024;
/** Characters of rendered details kept per process: some three hundred modals. */
const RENDERED_CHARACTERS = 4 * 1024 * 1024;

/** What the details statement read of a ticket, and the versions it was current at. */
interface KeptRead {
  boardVersion: number;
  peopleVersion: number;
  read: DetailsRead;
}

/** A ticket's details as the hot path writes them: the page's title and its body, ready to write. */
export interface RenderedDetails {
  title: string;
  body: Buffer;
}

/**
 * Each ticket's details, kept by this process as last read and rendered for each viewer, so that
 * a view of a ticket nobody changed reads two version numbers instead of the ticket, its history
 * and its people, and writes a rendering instead of making one.
 *
 * Everything the details show moves the project's board version (the ticket, its reporter and
 * assignee, its history and comments, the project's name: BOARD_VERSION_WATCHES) or the people
 * version (who has access, and everyone's name, avatar, role and state: migration 0020). A read
 * is kept with both; the statement gives the details again only when one moved (`keptWhen`). A
 * rendering also depends on the viewer (their id, whether they manage) and on the minute, for
 * "5 minutes ago", as the board's does (BoardFragments). It is made with a placeholder for the
 * session's CSRF token, which each request puts in. Both versions are read fresh in the same
 * statement as the session, so a change made through any process shows on the next view.
 */
@Injectable()
export class KeptTicketDetails {
  private readonly renderDetails = hbs.handlebars.compile('{{> tickets/details}}');
  /** Rendered with this as the CSRF token, then cut there: no token, session id or user data can be in it. */
  private readonly tokenSlot = `csrf${randomBytes(16).toString('hex')}`;
  private readonly reads = new LRUCache<string, KeptRead>({
    maxSize: READ_CHARACTERS,
    sizeCalculation: ({ read }) => 1_000 + read.ticket.description.length + 300 * read.history.length,
  });
  /** Renderings cut at the token, by ticket, versions, viewer and minute. */
  private readonly rendered = new LRUCache<string, string[]>({
    maxSize: RENDERED_CHARACTERS,
    sizeCalculation: (parts) => parts.reduce((size, part) => size + part.length, 1),
  });

  constructor(
    private readonly page: TicketDetailsPage,
    private readonly memberships: MembershipsService,
  ) {}

  /**
   * The details' read of the project's ticket, to fold into the page's statement: not read when
   * the copy kept here is current (`keptWhen`). `render` makes the page from what the statement
   * gave: the row, or nothing when the kept copy is current.
   */
  foldedRead(projectId: string, ticketId: string) {
    const details = this.page.foldedRead(projectId, ticketId);
    const kept = this.reads.get(ticketId);
    return {
      ...details,
      name: `${details.name}-kept`,
      keptWhen: `${boardVersionSql()} = :keptBoardVersion AND ${this.memberships.peopleVersionSql()} = :keptPeopleVersion`,
      values: {
        ...details.values,
        keptBoardVersion: kept?.boardVersion ?? -1,
        keptPeopleVersion: kept?.peopleVersion ?? -1,
      },
      /**
       * The details for `user` with the session's `csrfToken`; `row` undefined when the statement
       * found the kept copy current. `project` is the statement's (its board version with it).
       */
      render: async (
        project: Project,
        row: DetailsRow | undefined,
        user: User,
        csrfToken: string,
        now = new Date(),
      ): Promise<RenderedDetails | null> => {
        const current = row ? this.keep(project, ticketId, details.read(row), row) : kept;
        if (!current) return null;
        const key = [
          ticketId,
          current.boardVersion,
          current.peopleVersion,
          user.id,
          user.isManager,
          Math.floor(now.getTime() / 60_000),
        ].join(':');
        let parts = this.rendered.get(key);
        if (!parts) {
          parts = await this.renderParts(project, current.read, user);
          this.rendered.set(key, parts);
        }
        const token = hbs.handlebars.escapeExpression(csrfToken);
        return { title: ticketPageTitle(current.read.ticket), body: Buffer.from(parts.join(token)) };
      },
    };
  }

  private keep(project: Project, ticketId: string, read: DetailsRead, row: DetailsRow): KeptRead {
    const kept = { boardVersion: project.boardVersion, peopleVersion: Number(row.peopleVersion), read };
    this.reads.set(ticketId, kept);
    return kept;
  }

  private async renderParts(project: Project, read: DetailsRead, user: User): Promise<string[]> {
    const locals = await this.page.fromFolded(project, read, user);
    const html = this.renderDetails(
      { ...locals, currentUser: user, csrfParam: CSRF_FIELD, csrfToken: this.tokenSlot },
      // As hbs renders views (tickets/show, the regular pipeline's): the user is a model instance.
      { allowProtoPropertiesByDefault: true, allowProtoMethodsByDefault: true },
    );
    return html.split(this.tokenSlot);
  }
}
