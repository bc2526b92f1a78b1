import { Body, Controller, Delete, Get, Patch, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { validateForm } from '../common/forms/validate-form';
import { Up } from '../common/unpoly/up.decorator';
import type { Unpoly } from '../common/unpoly/unpoly';
import { CurrentProject } from './current-project.decorator';
import { PROJECT_NAME_MAX, ProjectForm } from './dto/project-form.dto';
import { ProjectAccess } from './project-access.decorator';
import type { Project } from './project.model';
import { ProjectsService } from './projects.service';

export const PROJECTS_CHANGED = 'projects:changed';
/** Emitted with { projectId } so that pages of the deleted project can leave (public/app.js). */
export const PROJECT_DELETED = 'project:deleted';

const FORM_VIEW = 'projects/form';

/** Project create, edit and delete, all in modals (managers only). */
@Controller('projects')
@Roles('MANAGER')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get('new')
  newForm(@Res() res: Response): void {
    res.render(FORM_VIEW, this.formView(null, { name: '', description: '' }));
  }

  @Post()
  async create(
    @CurrentUser() user: User,
    @Body() body: unknown,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const form = await validateForm(ProjectForm, body);
    if (!form.ok) return res.status(422).render(FORM_VIEW, this.formView(null, form.input, form.errors));
    await this.projects.create(user, form.value);
    up.finish('/', PROJECTS_CHANGED);
  }

  @Get(':projectId/edit')
  @ProjectAccess('manager')
  editForm(@CurrentProject() project: Project, @Res() res: Response): void {
    res.render(FORM_VIEW, this.formView(project, { name: project.name, description: project.description }));
  }

  @Patch(':projectId')
  @ProjectAccess('manager')
  async update(
    @CurrentProject() project: Project,
    @Body() body: unknown,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const form = await validateForm(ProjectForm, body);
    if (!form.ok) return res.status(422).render(FORM_VIEW, this.formView(project, form.input, form.errors));
    await this.projects.update(project, form.value);
    up.finish('/', PROJECTS_CHANGED);
  }

  @Get(':projectId/delete')
  @ProjectAccess('manager')
  async confirmDelete(@CurrentProject() project: Project, @Res() res: Response): Promise<void> {
    const impact = await this.projects.deletionImpact(project);
    res.render('projects/delete', { title: `Delete ${project.name}`, project, ...impact });
  }

  @Delete(':projectId')
  @ProjectAccess('manager')
  async remove(@CurrentProject() project: Project, @Up() up: Unpoly): Promise<void> {
    await this.projects.remove(project);
    up.emit(PROJECT_DELETED, { projectId: project.id });
    up.finish('/', PROJECTS_CHANGED);
  }

  private formView(project: Project | null, values: Record<string, unknown>, errors: Record<string, string> = {}) {
    return {
      title: project ? `Edit ${project.name}` : 'New project',
      project,
      values,
      errors,
      nameMax: PROJECT_NAME_MAX,
      action: project ? `/projects/${project.id}` : '/projects',
    };
  }
}
