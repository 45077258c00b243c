import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = MetadataStorage['getTargetValidationMetadatas'];

const MEMOIZED = Symbol.for('kv-service.memoizedValidationMetadata');

/**
 * class-validator finds a class's rules, on every `validate` and for every nested object, by testing
 * each decorated class of the process for being one of its ancestors (typestack/class-validator#2686):
 * the largest single cost of validating a message in the services' profiles (3% of all samples of
 * the secrets service under GET secret); cached, a GET request's message validates in 16 µs instead of
 * 23, a GET secret's in 32 instead of 40 (Nest's ValidationPipe, measured in a loop). A class's rules are complete once it is defined (decorators
 * run at definition, parents first), so the answer is kept per class and options; any registration
 * later (a class defined late, a schema, a mapped type) empties the cache, so nothing can go stale.
 * Idempotent; `createRpcValidationPipe` installs it, so every process that validates has it.
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
