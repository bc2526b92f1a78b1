import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig, type PasswordHashCost } from '../config/app-config';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * argon2id costs. `standard` is the library's defaults (OWASP-recommended: 64 MiB, 3 passes,
 * 4 lanes). `minimal` is the smallest argon2 accepts: test runs sign in hundreds of times, and
 * loadConfig() refuses it outside NODE_ENV=test. A hash records its own costs, so verifying
 * always costs what the stored hash was made with.
 */
export const PASSWORD_HASH_COSTS = {
  standard: {},
  minimal: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
} as const satisfies Record<PasswordHashCost, argon2.Options>;

@Injectable()
export class PasswordHasher {
  private readonly options: argon2.Options & { raw?: false };
  private dummyHash: Promise<string> | undefined;

  constructor(config: AppConfig) {
    this.options = { type: argon2.argon2id, ...PASSWORD_HASH_COSTS[config.passwordHashCost] };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Verifies against a fixed hash of the configured cost, so that a sign-in for an unknown email
   * costs the same time as one for a known email (no account enumeration by timing).
   */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy password that matches nothing');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
