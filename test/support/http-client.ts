// Raw HTTP requests to a gateway's server from a chosen loopback address (127.0.0.2, 127.0.0.3 …: Linux routes the
// whole 127/8 to loopback), so tests can play several clients, a proxy and its clients, on one machine.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawHttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/** Sends one request on a connection of its own from `localAddress`, and reads the whole answer. */
export function sendFrom(
  port: number,
  localAddress: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        agent: false,
        method: options.method ?? 'POST',
        path: options.path ?? '/graphql',
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A GraphQL POST from `localAddress`. */
export const graphqlFrom = (port: number, localAddress: string, query: string, headers: Record<string, string> = {}) =>
  sendFrom(port, localAddress, { headers, body: JSON.stringify({ query }) });

/** A connection from `localAddress` that sends `first` and then nothing (or what the test writes), as a slow client. */
export function slowConnection(port: number, localAddress: string, first = 'POST /graphql HTTP/1.1\r\nHost: gateway\r\n'): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('connect', () => {
      socket.write(first);
      resolve({ socket, received: () => received, closed });
    });
    socket.once('error', reject);
  });
}
