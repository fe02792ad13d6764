import { IdentityEvidence, IdentityKeyKind, normalisePhone } from '@meridian/events';

/**
 * The keys one record offers for identity resolution (DOMAIN.md: identity). A key's id is
 * `<kind>:<blind index>`: the HMAC of the value, never the value itself.
 */
export interface RecordKeys {
  /** (idType, idNumber): the strongest key. Only CustomerUpserted carries it. */
  idNumber?: string;
  /** Secondary: carriers reassign numbers. */
  phone?: string;
  /** (sourceSystem, sourceCustomerId): every record carries one. */
  sourceRef: string;
}

/** What a key id is made of, for evidence and audit. */
export function keyKind(keyId: string): IdentityKeyKind {
  const kind = keyId.slice(0, keyId.indexOf(':'));
  if (kind !== 'ID_NUMBER' && kind !== 'PHONE' && kind !== 'SOURCE_REF') throw new Error(`not an identity key id: ${keyId}`);
  return kind;
}

export function keyHash(keyId: string): string {
  return keyId.slice(keyId.indexOf(':') + 1);
}

export type BlindHash = (kind: string, value: string) => string;

export interface IdentityFacts {
  sourceSystem: string;
  sourceCustomerId: string;
  idType?: string;
  idNumber?: string;
  phone?: string;
}

export function recordKeys(facts: IdentityFacts, hash: BlindHash): RecordKeys {
  const key = (kind: IdentityKeyKind, value: string) => `${kind}:${hash(kind, value)}`;
  return {
    sourceRef: key('SOURCE_REF', `${facts.sourceSystem}\u0000${facts.sourceCustomerId}`),
    ...(facts.idType && facts.idNumber ? { idNumber: key('ID_NUMBER', `${facts.idType}\u0000${facts.idNumber}`) } : {}),
    ...(facts.phone ? { phone: key('PHONE', normalisePhone(facts.phone)) } : {}),
  };
}

/** Key ids as the evidence an event carries: kind and blind index, and the record that carried them. */
export function evidenceOf(keyIds: readonly string[], eventId: string): IdentityEvidence[] {
  return keyIds.map((k) => ({ kind: keyKind(k), keyHash: keyHash(k), eventId }));
}
