import { Body, Controller, Delete, Get, Param, Post, Render } from '@nestjs/common';
import { Conflict, InvalidInput, wordingOf } from '../common/errors';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult } from '../common/unpoly/modal-result';
import { CurrentProject } from './current-project.decorator';
import { ProjectAccess } from './project-access.decorator';
import { AddMemberForm } from './dto/add-member.dto';
import { MembershipsService } from './memberships.service';
import type { Project } from './project.model';

const VIEW = 'projects/members';

/**
 * The members modal (managers only). Adding and removing keep the modal open on the updated
 * list and tell the page beneath that the project changed.
 */
@Controller('projects/:projectId/members')
@ProjectAccess('manager')
export class MembersController {
  constructor(private readonly memberships: MembershipsService) {}

  @Get()
  @Render(VIEW)
  list(@CurrentProject() project: Project) {
    return this.view(project);
  }

  @Post()
  async add(@CurrentProject() project: Project, @Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(AddMemberForm, body);
    if (!form.ok) return formErrors(VIEW, await this.view(project, form.errors));
    try {
      const user = await this.memberships.add(project, form.value.userId);
      return this.done(project, `${user.displayName} is now a member.`);
    } catch (error) {
      const errors =
        error instanceof InvalidInput
          ? { userId: 'Choose one of the people in the list.' }
          : error instanceof Conflict
            ? { userId: wordingOf(error) }
            : null;
      if (!errors) throw error;
      return formErrors(VIEW, await this.view(project, errors));
    }
  }

  /** The confirmation, a modal over the members modal (and a page of its own). */
  @Get(':userId/remove')
  @Render('projects/remove-member')
  async confirmRemove(@CurrentProject() project: Project, @Param('userId') userId: string) {
    const person = await this.memberships.findMember(project, userId);
    return { title: `Remove ${person.displayName}`, project, person };
  }

  @Delete(':userId')
  async remove(@CurrentProject() project: Project, @Param('userId') userId: string): Promise<ModalResult> {
    await this.memberships.remove(project, userId);
    return this.done(project, 'The member was removed.');
  }

  /** With Unpoly: the updated list where the form was. Plain forms: back to the list (303). */
  private async done(project: Project, notice: string): Promise<ModalResult> {
    return done({
      redirectTo: `/projects/${project.id}/members`,
      events: [APP_EVENTS.projectsChanged],
      inPlace: { view: VIEW, locals: await this.view(project, {}, notice) },
    });
  }

  private async view(project: Project, errors: FormErrors = {}, notice?: string) {
    const [members, candidates] = await Promise.all([
      this.memberships.listMembers(project),
      this.memberships.candidates(project),
    ]);
    return { title: `Members of ${project.name}`, project, members, candidates, errors, notice };
  }
}
