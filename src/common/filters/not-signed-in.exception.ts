import { HttpException, HttpStatus } from '@nestjs/common';

/** Thrown by the session guard; the error filter turns it into a redirect to the login page. */
export class NotSignedInException extends HttpException {
  constructor() {
    super('Please sign in to continue.', HttpStatus.UNAUTHORIZED);
  }
}
