import { MailerModule } from '@nestjs-modules/mailer';
import type { HandlebarsAdapter as HandlebarsAdapterClass } from '@nestjs-modules/mailer/dist/adapters/handlebars.adapter';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MAIL_TEMPLATES_DIR } from './mail-templates';
import { MailService } from './mail.service';

// The package exports its adapters as `adapters/*` only, which this TypeScript resolution cannot see.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HandlebarsAdapter } = require('@nestjs-modules/mailer/adapters/handlebars.adapter') as {
  HandlebarsAdapter: typeof HandlebarsAdapterClass;
};

/** @nestjs-modules/mailer: SMTP from SMTP_URL, or nodemailer's JSON transport printed to the log. */
@Global()
@Module({
  imports: [
    MailerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        transport: config.smtpUrl ?? { jsonTransport: true },
        defaults: { from: config.mailFrom },
        template: { dir: MAIL_TEMPLATES_DIR, adapter: new HandlebarsAdapter(), options: { strict: true } },
      }),
    }),
  ],
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
