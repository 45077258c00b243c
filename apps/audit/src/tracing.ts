// The first import of main.ts: the instrumentations patch modules as they load (see startTracing).
import { startTracing } from '@app/service-kit/tracing';

export const tracing = startTracing('audit');
