// Tokens at rest are sealed with AES-256-GCM (node:crypto) under GATEWAY_TOKEN_KEY: a random 96-bit nonce per write, the
// connection's name bound in as associated data (a sealed value moved under another connection does not open), and
// the authentication tag checked on every read, so a wrong key is an error, never tokens read as garbage or as none.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenStoreKeyError } from '../../adapters/kit/token-store.js';

const VERSION = 'v1';

/** GATEWAY_TOKEN_KEY: 32 bytes as 64 hex digits or as base64 (standard or URL-safe); a string says what is wrong. */
export function parseTokenKey(text: string): Buffer | string {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return 'must be 32 bytes, written as 64 hex digits or in base64 (for example: openssl rand -hex 32)';
}

const aad = (connection: string) => Buffer.from(`invoice-gateway tokens ${VERSION} ${connection}`, 'utf8');

/** Seals `plaintext` for `connection`: `v1.<nonce>.<ciphertext>.<tag>`, base64url. */
export function sealTokens(key: Buffer, connection: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(connection));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Opens what sealTokens wrote for `connection`; throws TokenStoreKeyError when the key (or the value) is not the right one. */
export function openTokens(key: Buffer, connection: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new TokenStoreKeyError(`the stored tokens of "${connection}" are not in a format this gateway writes`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1], 'base64url'));
    decipher.setAAD(aad(connection));
    decipher.setAuthTag(Buffer.from(parts[3], 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[2], 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenStoreKeyError(`GATEWAY_TOKEN_KEY does not open the stored tokens of "${connection}" (was the key changed?)`);
  }
}
