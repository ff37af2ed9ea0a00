// Clients that give up: each loop sends a large invoices(ids:) query and hangs up after a random short wait, as load
// tools, routers with timeouts and users closing a tab do. Each query asks one provider for 1000 ids (its seeded ones,
// then unknown ones), the providers in turn, so one abort stops a burst of that provider's calls at once. Those aborts
// are the caller's doing and must never open a provider's circuit; the soak checks that against the circuits it watches.
import { Agent, request } from 'undici';
import { createSeededRandom } from '../../adapters/kit/sandbox-server.js';
import { GRAPHQL_HEADERS } from '../support/graphql-client.js';
import type { IdPool } from './query-mix.js';

export interface AbortingClientsOptions {
  /** Loops running at once. */
  concurrency: number;
  /** Each request is abandoned after a wait drawn from this range, in ms. */
  abortAfterMs: [number, number];
  /** Ids per request, drawn from every provider. */
  ids: number;
  /** Pause between one loop's requests, in ms. */
  pauseMs?: number;
}

export interface AbortingClients {
  readonly counts: { sent: number; aborted: number; answeredFirst: number };
  /** Stops the loops and waits for them. */
  stop(): Promise<void>;
}

/** Starts the loops at once against the gateway at `url`. */
export function startAbortingClients(url: string, pool: IdPool, options: AbortingClientsOptions): AbortingClients {
  const random = createSeededRandom(0xab0e7);
  const dispatcher = new Agent({ connections: options.concurrency });
  const kinds = ['fragment', 'korint', 'xero'] as const;
  let turn = 0;
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const unknownId = (kind: (typeof kinds)[number], n: number) =>
    kind === 'xero'
      ? `xero:Invoice:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`
      : `${kind}:Invoice:${kind === 'fragment' ? 'inv' : 'kor_inv'}_gone_${n}`;
  const idsFor = (kind: (typeof kinds)[number]) => {
    const known = pool.invoices[kind].slice(0, options.ids);
    return [...known, ...Array.from({ length: options.ids - known.length }, (_, i) => unknownId(kind, i))];
  };
  const counts = { sent: 0, aborted: 0, answeredFirst: 0 };
  let running = true;
  const [min, max] = options.abortAfterMs;

  const loop = async () => {
    while (running) {
      const ids = idsFor(kinds[turn++ % kinds.length]);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), min + Math.floor(random() * (max - min)));
      counts.sent += 1;
      try {
        const response = await request(url, {
          method: 'POST',
          headers: GRAPHQL_HEADERS,
          body: JSON.stringify({ query: 'query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount } } }', variables: { ids } }),
          signal: controller.signal,
          dispatcher,
        });
        await response.body.text();
        counts.answeredFirst += 1;
      } catch {
        counts.aborted += 1;
      } finally {
        clearTimeout(timer);
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const loops = Array.from({ length: options.concurrency }, () => loop());
  return {
    counts,
    async stop() {
      running = false;
      await Promise.all(loops);
      await dispatcher.close();
    },
  };
}
