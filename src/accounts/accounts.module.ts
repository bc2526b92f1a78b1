import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SequelizeModule } from '@nestjs/sequelize';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { LocalStrategy } from './local.strategy';
import { Session } from './session.model';
import { SessionSerializer } from './session.serializer';
import { User } from './user.model';

@Module({
  imports: [SequelizeModule.forFeature([User, Session]), PassportModule.register({ session: true })],
  controllers: [AuthController],
  providers: [AccountsService, LocalStrategy, SessionSerializer],
  exports: [AccountsService],
})
export class AccountsModule {}
