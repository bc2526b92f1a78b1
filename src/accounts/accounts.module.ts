import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { AvatarStorage } from './avatar-storage';
import { AvatarsController } from './avatars.controller';
import { LocalStrategy } from './local.strategy';
import { PasswordHasher } from './passwords';
import { PasswordResetJobs } from './password-reset-jobs';
import { PasswordResetMailJob } from './password-reset-mail.job';
import { PasswordReset } from './password-reset.model';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetsService } from './password-resets.service';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';
import { Session } from './session.model';
import { SessionSerializer } from './session.serializer';
import { User } from './user.model';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SequelizeModule.forFeature([User, Session, PasswordReset]), PassportModule.register({ session: true })],
  controllers: [AuthController, PasswordResetController, ProfileController, AvatarsController, UsersController],
  providers: [
    AccountsService,
    PasswordHasher,
    LocalStrategy,
    SessionSerializer,
    AvatarStorage,
    ProfileService,
    UsersService,
    PasswordResetsService,
    PasswordResetMailJob,
    PasswordResetJobs,
  ],
  exports: [AccountsService, UsersService, AvatarStorage, PasswordResetsService, PasswordResetJobs],
})
export class AccountsModule {}
