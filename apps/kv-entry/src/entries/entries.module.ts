import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { EntriesHandler } from './entries.handler';
import { EntriesRepository } from './entries.repository';
import { EntriesService } from './entries.service';
import { EntryEntity } from './entry.entity';

@Module({
  imports: [TypeOrmModule.forFeature([EntryEntity]), NamespacesModule],
  controllers: [EntriesHandler],
  providers: [EntriesRepository, EntriesService],
  exports: [EntriesRepository],
})
export class EntriesModule {}
