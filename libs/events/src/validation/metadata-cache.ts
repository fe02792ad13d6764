import { getMetadataStorage } from 'class-validator';

interface Storage {
  getTargetValidationMetadatas(target: unknown, schema: unknown, always: boolean, strictGroups: boolean, groups?: string[]): unknown[];
  addValidationMetadata(metadata: unknown): void;
  addConstraintMetadata(metadata: unknown): void;
  __meridianCached?: boolean;
}

/**
 * class-validator recomputes a class's validation metadata on every call — filtering its
 * own list and scanning every registered class for ancestors — which was a third of the
 * time of `decode()` (CPU profile, issue 3 bench). The answer only changes when decorators
 * register more metadata, so it is cached per arguments and the cache is cleared whenever
 * metadata is added. Installed once, idempotently; a class-validator without these methods
 * is left alone.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage.__meridianCached || typeof storage.getTargetValidationMetadatas !== 'function' || typeof storage.addValidationMetadata !== 'function') return;
  const original = storage.getTargetValidationMetadatas.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  let cache = new Map<unknown, Map<string, unknown[]>>();
  storage.addValidationMetadata = (metadata) => {
    cache = new Map();
    addValidation(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    cache = new Map();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // Only classes are cached: an input's own "constructor" value must not grow the cache.
    if (typeof target !== 'function') return original(target, schema, always, strictGroups, groups);
    const key = `${String(schema)}\u0000${always}\u0000${strictGroups}\u0000${(groups ?? []).join('\u0001')}`;
    let byKey = cache.get(target);
    if (!byKey) cache.set(target, (byKey = new Map()));
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = original(target, schema, always, strictGroups, groups)));
    // Callers only read the list; a copy keeps it that way.
    return found.slice();
  };
  storage.__meridianCached = true;
}
