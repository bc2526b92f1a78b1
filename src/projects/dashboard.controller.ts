import { Controller, Get, Query, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { DashboardService } from './dashboard.service';

@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Render('projects/dashboard')
  async show(@CurrentUser() user: User, @Query('page') page?: string, @Query('assigned') assigned?: string) {
    return this.dashboard.page(user, Number(page) || 1, Number(assigned) || 1);
  }
}
