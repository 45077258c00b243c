import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = MetadataStorage['getTargetValidationMetadatas'];

const MEMOIZED = Symbol.for('kv-service.memoizedValidationMetadata');

/**
 * class-validator finds a class's rules, for every object validated, by testing each decorated class of the process for
 * being an ancestor (typestack/class-validator#2686), the largest cost of validating a message (measured: docs/benchmark.md).
 * The rules are complete once a class is defined, so they are kept per class and options, and any later registration (a late
 * class, a schema, a mapped type) empties the cache. Idempotent; `createRpcValidationPipe` installs it in every process.
 */
export function memoizeValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [MEMOIZED]?: true };
  if (patched[MEMOIZED]) return;
  patched[MEMOIZED] = true;

  const lookUp: TargetMetadatas = storage.getTargetValidationMetadatas.bind(storage);
  let byTarget = new WeakMap<object, Map<string, ReturnType<TargetMetadatas>>>();

  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    if (typeof targetConstructor !== 'function') return lookUp(targetConstructor, targetSchema, always, strictGroups, groups);
    const options = JSON.stringify([targetSchema ?? null, always, strictGroups, groups ?? null]);
    let byOptions = byTarget.get(targetConstructor);
    if (byOptions === undefined) byTarget.set(targetConstructor, (byOptions = new Map()));
    let metadatas = byOptions.get(options);
    if (metadatas === undefined) {
      // Frozen: every caller shares the one array, so none may change it.
      metadatas = Object.freeze(lookUp(targetConstructor, targetSchema, always, strictGroups, groups)) as ReturnType<TargetMetadatas>;
      byOptions.set(options, metadatas);
    }
    return metadatas;
  };

  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    byTarget = new WeakMap();
    addValidationMetadata(metadata);
  };
}
