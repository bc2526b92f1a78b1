import type { TicketListQueryDto } from './dto/ticket-list-query.dto';
import { TICKET_SORTS } from './dto/ticket-list-query.dto';

type ListState = Pick<TicketListQueryDto, 'assignee' | 'status' | 'priority' | 'q' | 'sort' | 'page'>;

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
  if (state.sort && state.sort !== 'newest') params.set('sort', state.sort);
  if (state.page && state.page > 1) params.set('page', String(state.page));
  return `/projects/${projectId}?${params.toString()}`;
}

/** Links for the pager: previous, numbered pages around the current one, next. */
export function pager(projectId: string, state: ListState, pageCount: number) {
  const current = Math.min(state.page ?? 1, Math.max(pageCount, 1));
  const first = Math.max(1, current - 2);
  const last = Math.min(pageCount, current + 2);
  const pages = [];
  for (let page = first; page <= last; page++)
    pages.push({ page, url: listUrl(projectId, { ...state, page }), current: page === current });
  return {
    show: pageCount > 1,
    previousUrl: current > 1 ? listUrl(projectId, { ...state, page: current - 1 }) : null,
    nextUrl: current < pageCount ? listUrl(projectId, { ...state, page: current + 1 }) : null,
    pages,
  };
}

export function sortOptions(selected: string | undefined) {
  const labels: Record<string, string> = {
    newest: 'Newest first',
    oldest: 'Oldest first',
    priority: 'Highest priority first',
  };
  return TICKET_SORTS.map((value) => ({ value, label: labels[value], selected: value === (selected ?? 'newest') }));
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
