import type { LeadRules } from './lead-rules';

/** What an interaction tells of a customer's intent (DOMAIN.md: recent intent interactions). */
export interface IntentSignal {
  kind: 'WEALTH_INQUIRY' | 'PAGE_VIEW';
  /** The product page viewed (PAGE_VIEW), or what the inquiry was about. */
  topic: string;
  /** The interaction's own id: the same interaction again is the same signal. */
  interactionId: string;
  at: string;
}

/**
 * An InteractionRecorded as an intent signal, or none: an INQUIRY whose topic or text names a
 * wealth product (the bank's words, Chinese or English), or a PAGE_VIEW of a product page (its topic).
 */
export function intentOf(i: { kind: string; topic?: string; text?: string; interactionId: string }, at: string, rules: Pick<LeadRules, 'wealthWords'>): IntentSignal | undefined {
  if (i.kind === 'PAGE_VIEW' && i.topic?.trim()) return { kind: 'PAGE_VIEW', topic: i.topic.trim().slice(0, 100), interactionId: i.interactionId, at };
  if (i.kind !== 'INQUIRY') return undefined;
  const said = `${i.topic ?? ''} ${i.text ?? ''}`.toLowerCase();
  const word = rules.wealthWords.find((w) => said.includes(w.toLowerCase()));
  return word ? { kind: 'WEALTH_INQUIRY', topic: (i.topic?.trim() || word).slice(0, 100), interactionId: i.interactionId, at } : undefined;
}
