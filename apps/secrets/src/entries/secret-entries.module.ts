import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { SecretVersionEntity } from '../versions/secret-version.entity';
import { SecretVersionsHandler } from '../versions/secret-versions.handler';
import { SecretVersionsRepository } from '../versions/secret-versions.repository';
import { SecretVersionsService } from '../versions/secret-versions.service';
import { SecretEntriesHandler } from './secret-entries.handler';
import { SecretEntriesRepository } from './secret-entries.repository';
import { SecretEntriesService } from './secret-entries.service';
import { SecretEntryEntity } from './secret-entry.entity';
import { SecretWriter } from './secret-writer.service';

/**
 * Entries and their versions: one module, because every write of an entry appends a version in the
 * same transaction (SecretWriter); the versions/ folder holds what only the history serves.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SecretEntryEntity, SecretVersionEntity]), KeysModule],
  controllers: [SecretEntriesHandler, SecretVersionsHandler],
  providers: [SecretEntriesRepository, SecretVersionsRepository, SecretWriter, SecretEntriesService, SecretVersionsService],
  exports: [SecretEntriesRepository],
})
export class SecretEntriesModule {}
