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

/** A customer's data key, wrapped (encrypted) by the master key: what is stored. */
export interface WrappedDataKey {
  customerId: string;
  wrappedKey: string;
}

/**
 * Envelope encryption of PII (ARCHITECTURE.md principle 7): each customer has a random
 * 256-bit data key; fields are sealed with AES-256-GCM under it, bound to the customer
 * and field name as associated data (a ciphertext copied to another customer or field
 * does not open). Data keys are stored only wrapped by the master key, so destroying a
 * customer's wrapped key erases their data (crypto-shredding) and rotating the master
 * key re-wraps keys without touching data.
 */
export class FieldEncryption {
  private readonly masterKey: Buffer;

  constructor(masterKeyBase64: string) {
    this.masterKey = decodeKey(masterKeyBase64, 'FIELD_ENCRYPTION_MASTER_KEY');
  }

  newDataKey(customerId: string): { dataKey: Buffer; wrapped: WrappedDataKey } {
    const dataKey = randomBytes(KEY_BYTES);
    return { dataKey, wrapped: { customerId, wrappedKey: seal(this.masterKey, dataKey, `dek:${customerId}`) } };
  }

  unwrap(wrapped: WrappedDataKey): Buffer {
    return open(this.masterKey, wrapped.wrappedKey, `dek:${wrapped.customerId}`);
  }

  /** This master key's key-check value (key-check.ts): says which key, reveals nothing of it. */
  keyCheck(): string {
    return keyCheckValue(this.masterKey, 'FIELD_ENCRYPTION_MASTER_KEY');
  }

  /** Re-wraps a data key under a new master key (key rotation). */
  rewrap(wrapped: WrappedDataKey, next: FieldEncryption): WrappedDataKey {
    return { customerId: wrapped.customerId, wrappedKey: seal(next.masterKey, this.unwrap(wrapped), `dek:${wrapped.customerId}`) };
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
