// API keys: the presented key is hashed and compared with every client's stored sha256 in constant time, so neither
// the key nor how much of it matched can leak; the key itself is never kept or logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyClient } from './clients-file.js';
import type { ClientIdentity } from './client.js';

/** The longest key considered; anything longer is refused without hashing. */
const MAX_KEY_LENGTH = 512;

/** Creates the check of a presented API key: the client it belongs to, or undefined. */
export function createApiKeyVerifier(clients: readonly ApiKeyClient[]): (key: string) => ClientIdentity | undefined {
  return (key) => {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
    const presented = createHash('sha256').update(key, 'utf8').digest();
    let found: ClientIdentity | undefined;
    // Every client is compared, whatever matched first, so the time taken says nothing about the clients list.
    for (const client of clients) {
      if (timingSafeEqual(presented, client.keySha256) && !found) found = client.identity;
    }
    return found;
  };
}
