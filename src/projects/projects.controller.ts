import { Body, Controller, Delete, Get, Patch, Post, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult } from '../common/unpoly/modal-result';
import { CurrentProject } from './current-project.decorator';
import { PROJECT_NAME_MAX, ProjectForm } from './dto/project-form.dto';
import { ProjectAccess } from './project-access.decorator';
import type { Project } from './project.model';
import { ProjectsService } from './projects.service';

const FORM_VIEW = 'projects/form';

/** Project create, edit and delete, all in modals (managers only). */
@Controller('projects')
@Roles('MANAGER')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get('new')
  @Render(FORM_VIEW)
  newForm() {
    return this.formView(null, { name: '', description: '' });
  }

  @Post()
  async create(@CurrentUser() user: User, @Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(ProjectForm, body);
    if (!form.ok) return formErrors(FORM_VIEW, this.formView(null, form.input, form.errors));
    await this.projects.create(user, form.value);
    return done({
      redirectTo: '/',
      events: [APP_EVENTS.projectsChanged],
      flash: `Project ${form.value.name} created.`,
    });
  }

  @Get(':projectId/edit')
  @Render(FORM_VIEW)
  @ProjectAccess('manager')
  editForm(@CurrentProject() project: Project) {
    return this.formView(project, { name: project.name, description: project.description });
  }

  @Patch(':projectId')
  @ProjectAccess('manager')
  async update(@CurrentProject() project: Project, @Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(ProjectForm, body);
    if (!form.ok) return formErrors(FORM_VIEW, this.formView(project, form.input, form.errors));
    await this.projects.update(project, form.value);
    return done({ redirectTo: '/', events: [APP_EVENTS.projectsChanged], flash: `Project ${form.value.name} saved.` });
  }

  @Get(':projectId/delete')
  @Render('projects/delete')
  @ProjectAccess('manager')
  async confirmDelete(@CurrentProject() project: Project) {
    const impact = await this.projects.deletionImpact(project);
    return { title: `Delete ${project.name}`, project, ...impact };
  }

  @Delete(':projectId')
  @ProjectAccess('manager')
  async remove(@CurrentProject() project: Project): Promise<ModalResult> {
    await this.projects.remove(project);
    return done({
      redirectTo: '/',
      // Pages of the deleted project leave for the dashboard (data-leave-on in project-header).
      events: [{ type: APP_EVENTS.projectDeleted, projectId: project.id }, APP_EVENTS.projectsChanged],
      flash: `Project ${project.name} was deleted.`,
    });
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
