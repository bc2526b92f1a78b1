import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { AccountsService } from './accounts.service';
import { User } from './user.model';

/** Keeps only the user id in the session; a deactivated or deleted user is signed out. */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly accounts: AccountsService) {
    super();
  }

  serializeUser(user: User, done: (err: Error | null, id?: string) => void): void {
    done(null, user.id);
  }

  deserializeUser(id: string, done: (err: Error | null, user?: User | false) => void): void {
    this.accounts
      .findById(id)
      .then((user) => done(null, user?.isActive ? user : false))
      .catch((error: Error) => done(error));
  }
}
