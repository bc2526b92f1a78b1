import { Injectable } from '@nestjs/common';

/** The current time for invitation rules; tests control it to reach expiry without waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
