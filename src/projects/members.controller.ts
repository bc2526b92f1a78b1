import { Body, Controller, Delete, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { Up } from '../common/unpoly/up.decorator';
import type { Unpoly } from '../common/unpoly/unpoly';
import { CurrentProject } from './current-project.decorator';
import { ProjectAccess } from './project-access.decorator';
import { AddMemberForm } from './dto/add-member.dto';
import { MemberNotAddable, MembershipsService } from './memberships.service';
import type { Project } from './project.model';
import { PROJECTS_CHANGED } from './projects.controller';

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
  async list(@CurrentProject() project: Project, @Res() res: Response): Promise<void> {
    res.render(VIEW, await this.view(project));
  }

  @Post()
  async add(
    @CurrentProject() project: Project,
    @Body() body: unknown,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const form = await validateForm(AddMemberForm, body);
    let errors: FormErrors = form.ok ? {} : form.errors;
    let notice: string | undefined;
    if (form.ok) {
      try {
        const user = await this.memberships.add(project, form.value.userId);
        notice = `${user.displayName} is now a member.`;
      } catch (error) {
        if (!(error instanceof MemberNotAddable)) throw error;
        errors = { userId: error.message };
      }
    }
    if (Object.keys(errors).length) return res.status(422).render(VIEW, await this.view(project, errors));
    await this.done(project, res, up, notice!);
  }

  @Delete(':userId')
  async remove(
    @CurrentProject() project: Project,
    @Param('userId') userId: string,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    await this.memberships.remove(project, userId);
    await this.done(project, res, up, 'The member was removed.');
  }

  /** In Unpoly: show the updated list where the form was. Plain forms: back to the list (303). */
  private async done(project: Project, res: Response, up: Unpoly, notice: string): Promise<void> {
    if (!up.isUnpoly) return res.redirect(303, `/projects/${project.id}/members`);
    up.emit(PROJECTS_CHANGED);
    res.status(200).render(VIEW, await this.view(project, {}, notice));
  }

  private async view(project: Project, errors: FormErrors = {}, notice?: string) {
    const [members, candidates] = await Promise.all([
      this.memberships.listMembers(project),
      this.memberships.candidates(project),
    ]);
    return { title: `Members of ${project.name}`, project, members, candidates, errors, notice };
  }
}
