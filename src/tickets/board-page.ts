import type { Project } from '../projects/project.model';
import { assigneeFilterOptions, boardUrl, listUrl } from './board-links';
import { projectView } from './ticket-view';

/** What every view of a project page shows around its tickets (board or list), for an assignee filter as in the URL. */
export function projectPageLocals(project: Project, assignee?: string) {
  return {
    title: project.name,
    project: projectView(project),
    newTicketUrl: `/projects/${project.id}/tickets/new`,
    boardUrl: boardUrl(project.id, assignee),
    listUrl: listUrl(project.id, { assignee }),
    assignee: assignee ?? '',
    assigneesUrl: `/projects/${project.id}/assignees`,
  };
}

/** The locals of the unfiltered board (everyone's cards), around its columns. */
export function unfilteredBoardLocals(project: Project) {
  return { ...projectPageLocals(project), isBoard: true, assignees: assigneeFilterOptions([]) };
}
