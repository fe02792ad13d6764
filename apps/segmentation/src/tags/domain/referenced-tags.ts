type Obj = Record<string, unknown>;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/**
 * The tag codes a (validated) rule reads, under any operator of the `tags` field, in any
 * $and/$or/$nor branch: reading a tag, even to exclude it, depends on it.
 */
export function referencedTags(rule: Obj): string[] {
  return Object.entries(rule).flatMap(([key, value]) => {
    if (key === 'tags') return strings(value);
    if (key === '$and' || key === '$or' || key === '$nor') return (value as Obj[]).flatMap(referencedTags);
    return [];
  });
}
