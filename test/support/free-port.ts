// A port free on loopback right now, for a process or an address that must be known before something listens on it
// (a child process's PORT, a redirect URI, a redis-server). Whatever listens on it may still lose a race: callers that
// can, retry on another.
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
