export interface ProjectRef {
  id: string;
  name: string;
}

/**
 * The projects each person belongs to, for the People page. Accounts sits below projects and
 * never imports it: the projects module provides this (see ProjectsPortsModule).
 */
export abstract class PeopleProjects {
  /** User id → their projects by name; people without projects are absent. */
  abstract byPerson(): Promise<Map<string, ProjectRef[]>>;
}
