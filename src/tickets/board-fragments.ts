import { Injectable } from '@nestjs/common';
import hbs from 'hbs';
import { LRUCache } from 'lru-cache';
import type { Project } from '../projects/project.model';
import { boardColumnView } from './ticket-view';
import { TicketsService } from './tickets.service';

/** Bytes of rendered boards kept per process: about a hundred full boards. */
const CACHE_BYTES = 16 * 1024 * 1024;

/**
 * The board's four columns, rendered once and reused while nothing on them changes. Cards do not
 * depend on who looks at them, so every member of a project shares one rendering. The key is the
 * project's board version, which the database raises with every ticket write and every change to
 * what a card shows of its reporter (migration 0005), plus the current minute, so that "5 minutes
 * ago" stays true. The version is read with the project on every request, so a write made through
 * any process shows on the next view, in every process.
 */
@Injectable()
export class BoardFragments {
  private readonly renderColumns = hbs.handlebars.compile('{{> tickets/columns}}');
  /** Kept encoded, ready to write (see renderWithFragment). */
  private readonly rendered = new LRUCache<string, Buffer>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (html) => html.length,
  });
  /** Renderings under way, so that a burst of views after a change renders the board once. */
  private readonly inFlight = new Map<string, Promise<Buffer>>();

  constructor(private readonly tickets: TicketsService) {}

  renderedColumns(project: Project, now = new Date()): Promise<Buffer> {
    const key = `${project.id}:${project.boardVersion}:${Math.floor(now.getTime() / 60_000)}`;
    const hit = this.rendered.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    let rendering = this.inFlight.get(key);
    if (!rendering) {
      rendering = this.render(project, now)
        .then((html) => {
          this.rendered.set(key, html);
          return html;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, rendering);
    }
    return rendering;
  }

  /**
   * The columns of one assignee's board (`assigneeId`: a person, or null for the unassigned
   * tickets; `filter`: as in the URL, for the "Load more" links). Not cached: the board version
   * does not say whose cards changed, and these boards are small. Two statements.
   */
  async filteredColumns(
    project: Project,
    assigneeId: string | null,
    filter: string,
    now = new Date(),
  ): Promise<Buffer> {
    const columns = await this.tickets.board(project, assigneeId);
    return Buffer.from(
      this.renderColumns({ columns: columns.map((column) => boardColumnView(project, column, now, filter)) }),
    );
  }

  private async render(project: Project, now: Date): Promise<Buffer> {
    const columns = await this.tickets.board(project);
    return Buffer.from(this.renderColumns({ columns: columns.map((column) => boardColumnView(project, column, now)) }));
  }
}
