import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of secrets kept in the database (two-factor secrets) with AES-256-GCM under a key derived from DATA_KEY.
 * Each value is bound to what it belongs to (the account's id, as associated data), so a value copied onto another
 * row does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export interface DataCipher {
  encrypt(plaintext: string, context: string): string;
  /** Throws when the value was not encrypted under this key for this context. */
  decrypt(stored: string, context: string): string;
}

export function createDataCipher(dataKey: string): DataCipher {
  const key = Buffer.from(hkdfSync('sha256', dataKey, 'supervise', 'data-encryption-v1', 32));
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
        .join('.');
    },
    decrypt(stored, context) {
      const [version, iv, tag, body] = stored.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not an encrypted value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
