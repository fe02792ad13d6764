/** How a `name=number,…` list names what it holds, for its error messages. */
export interface NamedNumbersLabel {
  /** What a name is, e.g. "churn factor". */
  name: string;
  /** What its number is, e.g. "weight". */
  value: string;
}

/**
 * A bank's `name=number,…` list (any subset of the known names; the rest keep their
 * defaults), each number finite and ≥ 0; throws naming what is wrong. The churn weights and
 * the CLV margins are set this way (README: configuration).
 */
export function parseNamedNumbers<K extends string>(text: string, defaults: Record<K, number>, label: NamedNumbersLabel): Record<K, number> {
  const out = { ...defaults };
  const known = Object.keys(defaults) as K[];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!known.includes(name as K)) throw new Error(`unknown ${label.name} "${name}" (known: ${known.join(', ')})`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${label.name} ${name} needs a ${label.value} ≥ 0, got "${value}"`);
    out[name as K] = n;
  }
  return out;
}
