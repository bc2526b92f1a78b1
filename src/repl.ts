import { repl } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './config/load-config';

/**
 * `npm run repl`: an admin console on the application. No Bull consumers are started, so the
 * console never processes jobs. See README for recipes.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const server = await repl(AppModule.forRoot(config, { consumeJobs: false }));
  server.setupHistory('.hticket_repl_history', () => undefined);
}

void bootstrap();
