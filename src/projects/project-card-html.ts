import hbs from 'hbs';
import { LRUCache } from 'lru-cache';
import type { ProjectCard } from './dashboard.service';

/** Characters of rendered cards kept per process: a few thousand cards. */
const CACHE_SIZE = 4_000_000;

const renderCard = hbs.handlebars.compile('{{> projects/card}}');

/** What identifies a card's rendering: its project at a board version, and whether the viewer is a member. */
export interface CardKey {
  id: string;
  version: number;
  isMember: boolean;
}

/**
 * Dashboard cards as HTML (`projects/card`), kept by project, board version, the viewer's
 * membership and whether the viewer manages projects (the card's buttons). The board version
 * moves with everything a card shows (its counters, name, description, members and what it shows
 * of them: migrations 0005 and 0019), so a kept rendering is never stale and the dashboard reads
 * and renders a card again only after it changed.
 */
const rendered = new LRUCache<string, string>({
  maxSize: CACHE_SIZE,
  sizeCalculation: (html, key) => html.length + key.length,
});

const keyOf = (card: CardKey, isManager: boolean) =>
  `${card.id}:${card.version}:${card.isMember ? 1 : 0}:${isManager ? 1 : 0}`;

/** The kept rendering of this card, if any. */
export function keptCardHtml(card: CardKey, isManager: boolean): string | undefined {
  return rendered.get(keyOf(card, isManager));
}

/** Renders a card and keeps it under its key. */
export function projectCardHtml(card: ProjectCard, isManager: boolean): string {
  const html = renderCard({ ...card, isManager });
  rendered.set(keyOf(card, isManager), html);
  return html;
}
