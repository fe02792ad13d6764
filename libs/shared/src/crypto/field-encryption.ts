import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Format tag of ciphertexts written by this module; a new scheme gets a new tag. */
const CIPHERTEXT_VERSION = 'v1';

export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

export function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new CryptoError(`${name} must be ${KEY_BYTES} bytes (base64), got ${key.length}`);
  return key;
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [CIPHERTEXT_VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
    '.',
  );
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== CIPHERTEXT_VERSION) throw new CryptoError('unrecognised ciphertext format');
  const [, iv, tag, body] = parts;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
  } catch {
    throw new CryptoError('ciphertext failed authentication (wrong key, wrong customer or tampered)');
  }
}

/**
 * A customer's data key, wrapped (encrypted) by a master key: what is stored. `masterKeyId`
 * is the wrapping key's check value (key-check.ts) — which key, never the key; keys wrapped
 * before rotation existed carry none and are recognised by trying the configured keys.
 */
export interface WrappedDataKey {
  customerId: string;
  wrappedKey: string;
  masterKeyId?: string;
}

/** The variables of the master key ring (issue 9: master key rotation). */
export const MASTER_KEY_VARIABLE = 'FIELD_ENCRYPTION_MASTER_KEY';
export const PREVIOUS_MASTER_KEYS_VARIABLE = 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS';

/**
 * Envelope encryption of PII (ARCHITECTURE.md principle 7): each customer has a random
 * 256-bit data key; fields are sealed with AES-256-GCM under it, bound to the customer
 * and field name as associated data (a ciphertext copied to another customer or field
 * does not open). Data keys are stored only wrapped by a master key, so destroying a
 * customer's wrapped key erases their data (crypto-shredding) and rotating the master
 * key re-wraps keys without touching data (ADR 0008): the current key wraps, the previous
 * keys still unwrap what they wrapped.
 */
export class FieldEncryption {
  private readonly current: { id: string; key: Buffer };
  private readonly ring = new Map<string, Buffer>();

  constructor(masterKeyBase64: string, previousMasterKeysBase64: readonly string[] = []) {
    const key = decodeKey(masterKeyBase64, MASTER_KEY_VARIABLE);
    this.current = { id: keyCheckValue(key, MASTER_KEY_VARIABLE), key };
    this.ring.set(this.current.id, key);
    for (const previous of previousMasterKeysBase64) {
      const old = decodeKey(previous, PREVIOUS_MASTER_KEYS_VARIABLE);
      this.ring.set(keyCheckValue(old, MASTER_KEY_VARIABLE), old);
    }
  }

  newDataKey(customerId: string): { dataKey: Buffer; wrapped: WrappedDataKey } {
    const dataKey = randomBytes(KEY_BYTES);
    return { dataKey, wrapped: this.wrap(customerId, dataKey) };
  }

  unwrap(wrapped: WrappedDataKey): Buffer {
    return this.opened(wrapped).dataKey;
  }

  /** The id of the master key that wrapped this data key: recorded, or found by trying the ring (keys wrapped before rotation). */
  masterKeyIdOf(wrapped: WrappedDataKey): string {
    return wrapped.masterKeyId ?? this.opened(wrapped).masterKeyId;
  }

  /** This master key's key-check value (key-check.ts): says which key, reveals nothing of it. */
  keyCheck(): string {
    return this.current.id;
  }

  /** The check values of the previous master keys configured, in the order given. */
  previousKeyChecks(): string[] {
    return [...this.ring.keys()].filter((id) => id !== this.current.id);
  }

  /** Re-wraps a data key under the current master key (key rotation): the data sealed with it is untouched. */
  rewrap(wrapped: WrappedDataKey): WrappedDataKey {
    return this.wrap(wrapped.customerId, this.unwrap(wrapped));
  }

  private wrap(customerId: string, dataKey: Buffer): WrappedDataKey {
    return { customerId, wrappedKey: seal(this.current.key, dataKey, `dek:${customerId}`), masterKeyId: this.current.id };
  }

  private opened(wrapped: WrappedDataKey): { dataKey: Buffer; masterKeyId: string } {
    const aad = `dek:${wrapped.customerId}`;
    if (wrapped.masterKeyId !== undefined) {
      const key = this.ring.get(wrapped.masterKeyId);
      if (!key) throw new CryptoError(`data key of ${wrapped.customerId} is wrapped under master key ${wrapped.masterKeyId}, which is neither ${MASTER_KEY_VARIABLE} nor in ${PREVIOUS_MASTER_KEYS_VARIABLE}`);
      return { dataKey: open(key, wrapped.wrappedKey, aad), masterKeyId: wrapped.masterKeyId };
    }
    for (const [masterKeyId, key] of this.ring) {
      try {
        return { dataKey: open(key, wrapped.wrappedKey, aad), masterKeyId };
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
      }
    }
    throw new CryptoError('ciphertext failed authentication (wrong key, wrong customer or tampered)');
  }

  encryptField(dataKey: Buffer, customerId: string, field: string, value: string): string {
    return seal(dataKey, Buffer.from(value, 'utf8'), `${customerId}:${field}`);
  }

  decryptField(dataKey: Buffer, customerId: string, field: string, sealed: string): string {
    return open(dataKey, sealed, `${customerId}:${field}`).toString('utf8');
  }
}

/**
 * HMAC-SHA256 blind index: equality look-ups (idNumber, phone, source references) without
 * storing the value. `kind` separates domains so equal strings of different kinds differ.
 */
export class BlindIndex {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    this.key = decodeKey(keyBase64, 'BLIND_INDEX_KEY');
  }

  /** This blind-index key's key-check value (key-check.ts). */
  keyCheck(): string {
    return keyCheckValue(this.key, 'BLIND_INDEX_KEY');
  }

  compute(kind: string, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${normaliseForIndex(value)}`, 'utf8').digest('hex');
  }

  matches(kind: string, value: string, index: string): boolean {
    const a = Buffer.from(this.compute(kind, value), 'hex');
    const b = Buffer.from(index, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** Unicode NFKC, trimmed, upper-cased (the resident-ID check letter 'x' equals 'X'). */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').trim().toUpperCase();
}

/**
 * A key's check value: HMAC-SHA256 of a fixed label under the key. The same key always gives
 * the same value and another key another; the value tells nothing of the key (HMAC is a
 * pseudo-random function), so it may be stored beside the data the key protects.
 */
export function keyCheckValue(key: Buffer, variable: string): string {
  return createHmac('sha256', key).update(`meridian key check\u0000${variable}`, 'utf8').digest('hex');
}

export function randomKeyBase64(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
