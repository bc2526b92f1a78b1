import hbs from 'hbs';
import { LRUCache } from 'lru-cache';
import type { ProjectCard } from './dashboard.service';

/** Characters of rendered cards kept per process: a few thousand cards. */
const CACHE_SIZE = 4_000_000;

const renderCard = hbs.handlebars.compile('{{> projects/card}}');

/**
 * A dashboard card as HTML (`projects/card`), kept by everything it shows: the card's fields
 * and whether the viewer manages projects (the card's buttons). A card is a pure function of
 * that key, so a kept rendering is never stale; the dashboard renders again only what changed
 * (a count, a member, a name) instead of every card on every view.
 */
const rendered = new LRUCache<string, string>({
  maxSize: CACHE_SIZE,
  sizeCalculation: (html, key) => html.length + key.length,
});

export function projectCardHtml(card: ProjectCard, isManager: boolean): string {
  const key = JSON.stringify([card, isManager]);
  let html = rendered.get(key);
  if (html === undefined) rendered.set(key, (html = renderCard({ ...card, isManager })));
  return html;
}
