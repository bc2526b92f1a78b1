import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { AvatarStorage } from './avatar-storage';
import { AvatarsController } from './avatars.controller';
import { LocalStrategy } from './local.strategy';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';
import { Session } from './session.model';
import { SessionSerializer } from './session.serializer';
import { User } from './user.model';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SequelizeModule.forFeature([User, Session]), PassportModule.register({ session: true })],
  controllers: [AuthController, ProfileController, AvatarsController, UsersController],
  providers: [AccountsService, LocalStrategy, SessionSerializer, AvatarStorage, ProfileService, UsersService],
  exports: [AccountsService, UsersService, AvatarStorage],
})
export class AccountsModule {}
