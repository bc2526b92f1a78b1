import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { CurrentProject } from '../projects/current-project.decorator';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import { PERSON_STREAM_PATH, PROJECT_STREAM_PATH } from './live-paths';
import { LiveStreams } from './live-streams';

/** Server-Sent Events: the person's channel (inbox, dashboard), or a project's with the person's. */
@Controller()
export class LiveController {
  constructor(private readonly streams: LiveStreams) {}

  @Get(PERSON_STREAM_PATH)
  person(@CurrentUser() user: User, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.streams.open(req, res, user, null);
  }

  @Get(PROJECT_STREAM_PATH)
  @ProjectAccess('member')
  project(
    @CurrentUser() user: User,
    @CurrentProject() project: Project,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.streams.open(req, res, user, project.id);
  }
}
