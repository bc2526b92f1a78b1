import { Logger } from '@nestjs/common';
import { PasswordResetJobs } from './accounts/password-reset-jobs';
import { NotificationJobs } from './notifications/notification-jobs';
import { assertServicesReachable, createWebApp, migrate, describeStartupFailure } from './app.factory';
import { loadConfigOrExit } from './config/load-config';
import { InvitationJobs } from './invitations/invitation-jobs';
import { InvitationsService } from './invitations/invitations.service';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new Logger('hticket');
  const app = await createWebApp(config);
  await assertServicesReachable(app, config);
  // In production migrations are a deploy step (npm run db:migrate); the embedded default runs them here.
  if (!config.isProduction) await migrate(app);
  const bootstrapLink = await app.get(InvitationsService).bootstrapIfNoManager();
  if (bootstrapLink) {
    logger.warn(
      `No manager exists yet. Create the first account by opening this link (valid ${config.inviteTtlHours} h): ${bootstrapLink}`,
    );
  }
  await app.get(InvitationJobs).scheduleMaintenance();
  await app.get(PasswordResetJobs).scheduleMaintenance();
  await app.get(NotificationJobs).scheduleMaintenance();
  app.enableShutdownHooks();
  await app.listen(config.port);
  if (!config.redisUrl) {
    logger.warn('REDIS_URL is not set: background jobs run inside this process (development only).');
  }
  logger.log(`hticket is listening on ${config.baseUrl}`);
}

bootstrap().catch((error: unknown) => {
  console.error(describeStartupFailure(error));
  process.exit(1);
});
