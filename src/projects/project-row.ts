import { Project } from './project.model';

/**
 * A project and the signed-in person's access to it as part of a larger statement (see
 * SIGNED_IN_SQL): `p` is the project of `:projectId`, `u` the user. Access is what
 * ProjectAccessService.findAccessible grants: managers see every project, members theirs.
 */
export function projectAccessSql(): { select: string; join: string } {
  const columns = Object.entries(Project.getAttributes()).map(
    ([attribute, definition]) => `p.${definition.field ?? attribute} AS "project.${attribute}"`,
  );
  return {
    select: `${columns.join(', ')},
      CASE WHEN u.role = 'MANAGER' OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = u.id)
        THEN 1 ELSE 0 END AS "projectAccess"`,
    join: 'LEFT JOIN projects p ON p.id = :projectId',
  };
}

/** The board version of the project `:projectId` (see BOARD_VERSION_WATCHES), as a scalar subquery. */
export function boardVersionSql(): string {
  return '(SELECT board_version FROM projects WHERE id = :projectId)';
}

export interface ProjectAccessRow {
  project: Record<string, unknown>;
  projectAccess: number | string;
}

/** The project of such a row when the person may open it, else null. */
export function accessibleProjectOf(row: ProjectAccessRow): Project | null {
  if (!row.project.id || Number(row.projectAccess) !== 1) return null;
  return Project.build(row.project, { isNewRecord: false, raw: true });
}
