import { Controller, Get, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ProjectsService } from './projects.service';

@Controller()
export class DashboardController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @Render('projects/dashboard')
  async dashboard(@CurrentUser() user: User) {
    return { title: 'Dashboard', projects: await this.projects.listForUser(user) };
  }
}
