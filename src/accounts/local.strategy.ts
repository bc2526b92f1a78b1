import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AccountsService } from './accounts.service';
import { User } from './user.model';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly accounts: AccountsService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  /** Returning false makes passport report a failure; the controller shows one generic message. */
  async validate(email: unknown, password: unknown): Promise<User | false> {
    return (await this.accounts.authenticate(email, password)) ?? false;
  }
}
