import type { TicketListQueryDto } from './dto/ticket-list-query.dto';
import { TICKET_SORTS } from './dto/ticket-list-query.dto';

import type { PageLink, TicketPage } from './tickets.service';
import { LIST_PAGE_SIZE, LIST_TOTAL_CAP } from './tickets.service';

type ListState = Pick<
  TicketListQueryDto,
  'assignee' | 'status' | 'priority' | 'q' | 'sort' | 'page' | 'after' | 'before'
>;

/** A search lists the best matches first unless told otherwise; other lists the newest. */
const defaultSort = (state: ListState) => (state.q ? 'relevance' : 'newest');

/**
 * The URL of the list view for a state. Defaults are left out so that URLs stay short and one
 * view has one address (bookmarkable, shareable).
 */
export function listUrl(projectId: string, state: ListState): string {
  const params = new URLSearchParams({ view: 'list' });
  if (state.assignee) params.set('assignee', state.assignee);
  if (state.status) params.set('status', state.status);
  if (state.priority) params.set('priority', state.priority);
  if (state.q) params.set('q', state.q);
  if (state.sort && state.sort !== defaultSort(state)) params.set('sort', state.sort);
  if (state.page === 'last' || (state.page && state.page > 1)) params.set('page', String(state.page));
  if (state.after) params.set('after', state.after);
  else if (state.before) params.set('before', state.before);
  return `/projects/${projectId}?${params.toString()}`;
}

/**
 * Links for the pager: first, previous, the numbered pages around the current one, next, last.
 * Previous and Next carry a keyset cursor; numbered pages are offered only where they are cheap
 * to reach, within LIST_TOTAL_CAP tickets of either end (a bounded jump).
 */
export function pager(
  projectId: string,
  state: ListState,
  list: Pick<TicketPage, 'page' | 'pageCount' | 'next' | 'previous'>,
) {
  const plain = { ...state, page: undefined, after: undefined, before: undefined };
  const linkTo = (link: PageLink) =>
    listUrl(projectId, { ...plain, page: link.page ?? undefined, after: link.after, before: link.before });
  const { page: current, pageCount } = list;
  const reachable = (page: number) =>
    pageCount !== null && Math.min(page - 1, pageCount - page) * LIST_PAGE_SIZE <= LIST_TOTAL_CAP;
  const pages = [];
  if (current !== null && pageCount !== null)
    for (let page = Math.max(1, current - 2); page <= Math.min(pageCount, current + 2); page++)
      if (page === current || reachable(page))
        pages.push({ page, url: listUrl(projectId, { ...plain, page }), current: page === current });
  const onLast = current === null || (pageCount !== null && current >= pageCount);
  return {
    show: Boolean(list.next || list.previous),
    firstUrl: current !== 1 ? listUrl(projectId, plain) : null,
    previousUrl: list.previous ? linkTo(list.previous) : null,
    nextUrl: list.next ? linkTo(list.next) : null,
    lastUrl: onLast ? null : listUrl(projectId, { ...plain, page: pageCount ?? 'last' }),
    pages,
  };
}

/**
 * The sort choices. The default one is sent blank, so that typing a search into a list sorted
 * the default way (newest first) lists the best matches first.
 */
export function sortOptions(selected: string | undefined, searching: boolean) {
  const labels: Record<string, string> = {
    newest: 'Newest first',
    oldest: 'Oldest first',
    priority: 'Highest priority first',
    relevance: 'Best match first',
  };
  const fallback = searching ? 'relevance' : 'newest';
  const chosen = selected === 'relevance' && !searching ? 'newest' : (selected ?? fallback);
  return TICKET_SORTS.filter((value) => value !== 'relevance' || searching).map((value) => ({
    value: value === fallback ? '' : value,
    label: labels[value],
    selected: value === chosen,
  }));
}

/** The board of one assignee (`me`, `none` or an id), or everyone's. */
export function boardUrl(projectId: string, assignee?: string): string {
  return assignee ? `/projects/${projectId}?${new URLSearchParams({ assignee }).toString()}` : `/projects/${projectId}`;
}

/**
 * The assignee filter's choices: everyone, me, unassigned, then the people with access (the
 * current filter is kept as an option even if that person has lost access meanwhile).
 */
export function assigneeFilterOptions(people: { id: string; name: string; email: string }[], selected?: string) {
  const options = [
    { value: '', label: 'Everyone' },
    { value: 'me', label: 'Assigned to me' },
    { value: 'none', label: 'Unassigned' },
    ...people.map((person) => ({ value: person.id, label: person.name || person.email })),
  ];
  if (selected && !options.some((option) => option.value === selected))
    options.push({ value: selected, label: 'Someone without access' });
  return options.map((option) => ({ ...option, selected: option.value === (selected ?? '') }));
}
