// class-transformer's metadata storage (the same import @nestjs/swagger and mapped-types rely on).
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

type Ctor = new () => object;

const nestedTypes = new Map<Ctor, Map<string, Ctor | null>>();

function nestedType(cls: Ctor, property: string): Ctor | null {
  let byProperty = nestedTypes.get(cls);
  if (!byProperty) nestedTypes.set(cls, (byProperty = new Map()));
  let type = byProperty.get(property);
  if (type === undefined) {
    const meta = defaultMetadataStorage.findTypeMetadata(cls, property);
    type = meta ? (meta.typeFunction() as Ctor) : null;
    byProperty.set(property, type);
  }
  return type;
}

/**
 * A parsed JSON object as an instance of a contract class, for class-validator: the same
 * result as class-transformer's `plainToInstance` for the contract classes (which use only
 * `@Type` for nested classes), at a fraction of its cost — `plainToInstance` was a fifth of
 * ingest's CPU (issue 3 bench). Properties are shared with the parsed value, not copied;
 * `__proto__` and `constructor` are never assigned.
 */
export function instantiate<T extends object>(cls: new () => T, value: unknown): T {
  const plain = value as Record<string, unknown>;
  const instance = Object.create(cls.prototype) as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    // Never from the input: the prototype, nor the constructor class-validator reads to find the class.
    if (key === '__proto__' || key === 'constructor') continue;
    const v = plain[key];
    const type = v !== null && typeof v === 'object' ? nestedType(cls as Ctor, key) : null;
    instance[key] = type ? build(type, v) : v;
  }
  return instance as T;
}

/** Arrays (of arrays) of a nested type are built element by element, as class-transformer does. */
function build(type: Ctor, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => build(type, item));
  return value !== null && typeof value === 'object' ? instantiate(type, value) : value;
}
