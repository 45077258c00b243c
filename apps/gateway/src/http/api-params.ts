import { ApiParam } from '@nestjs/swagger';

export const ApiNamespaceIdParam = () => ApiParam({ name: 'nsId', format: 'uuid', description: 'Namespace id' });
