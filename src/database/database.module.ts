import { Global, Module } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';
import { MODELS } from './models';
import { PreparedReads } from './prepared-reads';
import { WriteTransactions } from './write-transactions';

@Global()
@Module({
  providers: [WriteTransactions, PreparedReads],
  exports: [WriteTransactions, PreparedReads],
  imports: [
    SequelizeModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...databaseOptions(config),
        models: MODELS,
        // Schema changes only ever come from migrations.
        synchronize: false,
        autoLoadModels: false,
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
