import { Injectable } from '@nestjs/common';
import type { Transaction } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { sqliteWrites } from './serial-writes';

/**
 * Runs write transactions. On SQLite they are queued behind each other in this process (see
 * SerialWrites for why); PostgreSQL runs them concurrently and relies on its own locks.
 * Every service that writes in a transaction goes through here.
 */
@Injectable()
export class WriteTransactions {
  constructor(private readonly sequelize: Sequelize) {}

  run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const start = () => this.sequelize.transaction(work);
    return this.sequelize.getDialect() === 'sqlite' ? sqliteWrites.run(start) : start();
  }
}
