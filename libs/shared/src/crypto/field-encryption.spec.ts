import fc from 'fast-check';
import { BlindIndex, CryptoError, FieldEncryption, randomKeyBase64 } from './field-encryption';

describe('FieldEncryption (AES-256-GCM, per-customer data keys)', () => {
  const master = new FieldEncryption(randomKeyBase64());

  it('round-trips any text, CJK and emoji included', () => {
    const { dataKey } = master.newDataKey('C1');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const sealed = master.encryptField(dataKey, 'C1', 'name', text);
        return master.decryptField(dataKey, 'C1', 'name', sealed) === text;
      }),
    );
  });

  it('never writes the same ciphertext twice for the same value (random IV)', () => {
    const { dataKey } = master.newDataKey('C1');
    expect(master.encryptField(dataKey, 'C1', 'phone', '13800138000')).not.toBe(
      master.encryptField(dataKey, 'C1', 'phone', '13800138000'),
    );
  });

  it('refuses a ciphertext moved to another customer or field, or tampered with', () => {
    const { dataKey } = master.newDataKey('C1');
    const sealed = master.encryptField(dataKey, 'C1', 'phone', '13800138000');
    expect(() => master.decryptField(dataKey, 'C2', 'phone', sealed)).toThrow(CryptoError);
    expect(() => master.decryptField(dataKey, 'C1', 'email', sealed)).toThrow(CryptoError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => master.decryptField(dataKey, 'C1', 'phone', parts.join('.'))).toThrow(CryptoError);
  });

  it('stores data keys only wrapped; unwrapping needs the master key and the right customer', () => {
    const { dataKey, wrapped } = master.newDataKey('C1');
    expect(wrapped.wrappedKey).not.toContain(dataKey.toString('base64'));
    expect(master.unwrap(wrapped).equals(dataKey)).toBe(true);
    expect(() => new FieldEncryption(randomKeyBase64()).unwrap(wrapped)).toThrow(CryptoError);
    expect(() => master.unwrap({ ...wrapped, customerId: 'C2' })).toThrow(CryptoError);
  });

  it('crypto-shredding: without the wrapped key, the data cannot be read', () => {
    const { dataKey } = master.newDataKey('C1');
    const sealed = master.encryptField(dataKey, 'C1', 'name', '张三');
    const otherKey = master.newDataKey('C1').dataKey;
    expect(() => master.decryptField(otherKey, 'C1', 'name', sealed)).toThrow(CryptoError);
  });

  it('rotates the master key by re-wrapping, data untouched', () => {
    const [a, b] = [randomKeyBase64(), randomKeyBase64()];
    const underA = new FieldEncryption(a);
    const { dataKey, wrapped } = underA.newDataKey('C1');
    const sealed = underA.encryptField(dataKey, 'C1', 'name', '李四');
    const rotated = new FieldEncryption(b, [a]);
    expect(rotated.unwrap(wrapped).equals(dataKey)).toBe(true); // a previous key still unwraps
    const rewrapped = rotated.rewrap(wrapped);
    expect(rewrapped.masterKeyId).toBe(rotated.keyCheck());
    const onlyB = new FieldEncryption(b);
    expect(onlyB.decryptField(onlyB.unwrap(rewrapped), 'C1', 'name', sealed)).toBe('李四');
    expect(() => onlyB.unwrap(wrapped)).toThrow(/neither FIELD_ENCRYPTION_MASTER_KEY nor in FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS/);
  });

  it('records which master key wrapped a data key by its check value, never the key; new keys are wrapped under the current one', () => {
    const [a, b] = [randomKeyBase64(), randomKeyBase64()];
    const rotated = new FieldEncryption(b, [a]);
    const { wrapped } = rotated.newDataKey('C1');
    expect(wrapped.masterKeyId).toBe(new FieldEncryption(b).keyCheck());
    expect(rotated.previousKeyChecks()).toEqual([new FieldEncryption(a).keyCheck()]);
    expect(JSON.stringify(wrapped)).not.toContain(Buffer.from(b, 'base64').toString('hex').slice(0, 16));
    expect(() => new FieldEncryption(a).unwrap(wrapped)).toThrow(CryptoError);
  });

  it('recognises a data key wrapped before rotation recorded key ids, by trying the ring', () => {
    const [a, b] = [randomKeyBase64(), randomKeyBase64()];
    const { dataKey, wrapped } = new FieldEncryption(a).newDataKey('C1');
    const legacy = { customerId: wrapped.customerId, wrappedKey: wrapped.wrappedKey };
    const rotated = new FieldEncryption(b, [a]);
    expect(rotated.masterKeyIdOf(legacy)).toBe(new FieldEncryption(a).keyCheck());
    expect(rotated.unwrap(legacy).equals(dataKey)).toBe(true);
    expect(() => new FieldEncryption(b).unwrap(legacy)).toThrow(CryptoError);
    expect(() => rotated.unwrap({ ...legacy, customerId: 'C2' })).toThrow(CryptoError);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new FieldEncryption(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => new FieldEncryption(randomKeyBase64(), [Buffer.alloc(16).toString('base64')])).toThrow(/FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS must be 32 bytes/);
  });
});

describe('BlindIndex (HMAC-SHA256)', () => {
  const index = new BlindIndex(randomKeyBase64());

  it('is stable, normalised and separated by kind', () => {
    expect(index.compute('ID_NUMBER', '11010519491231002x')).toBe(index.compute('ID_NUMBER', ' 11010519491231002X '));
    expect(index.compute('PHONE', '13800138000')).not.toBe(index.compute('SOURCE_REF', '13800138000'));
    expect(index.compute('PHONE', '13800138000')).toMatch(/^[0-9a-f]{64}$/);
    expect(index.matches('PHONE', '13800138000', index.compute('PHONE', '13800138000'))).toBe(true);
  });

  it('differs under another key, so indexes leak nothing across deployments', () => {
    expect(new BlindIndex(randomKeyBase64()).compute('PHONE', '13800138000')).not.toBe(index.compute('PHONE', '13800138000'));
  });
});
