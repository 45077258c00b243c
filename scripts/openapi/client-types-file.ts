import { join } from 'node:path';
import { repoRoot } from '../platform/repo-root';

/** Where the generated client types are committed. */
export const CLIENT_TYPES_FILE = join(repoRoot(), 'libs', 'client', 'src', 'generated', 'openapi.ts');
