// Shared pieces of the composition tests: a request-counting fetch into the gateway and the in-test customers data.
import type { Gateway } from '../../src/gateway.js';

const pad = (n: number) => String(n).padStart(4, '0');

/** A fetch into the gateway's yoga, counting the requests it receives. */
export function countingFetch(gateway: Gateway) {
  const counter = {
    requests: 0,
    /** The request bodies received, as text. */
    bodies: [] as string[],
    reset() {
      counter.requests = 0;
      counter.bodies = [];
    },
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      counter.requests += 1;
      if (typeof init?.body === 'string') counter.bodies.push(init.body);
      return gateway.yoga.fetch(String(input instanceof Request ? input.url : input), init as never);
    }) as typeof fetch,
  };
  return counter;
}

export interface CustomerRecord {
  id: string;
  name: string;
  invoiceIds: string[];
}

/**
 * 100 customers: customer n holds Fragment invoices inv_(2n-1) and inv_(2n), so 200 unique Fragment ids (one batch-get
 * of Fragment's 200); every tenth customer also holds inv_0001 again (a repeat, looked up once) and, when Korint is
 * served, a Korint invoice.
 */
export function customerRecords(withKorint: boolean): CustomerRecord[] {
  return Array.from({ length: 100 }, (_, index) => {
    const n = index + 1;
    const invoiceIds = [`fragment:Invoice:inv_${pad(2 * n - 1)}`, `fragment:Invoice:inv_${pad(2 * n)}`];
    if (n % 10 === 0) {
      invoiceIds.push('fragment:Invoice:inv_0001');
      if (withKorint) invoiceIds.push(`korint:Invoice:kor_inv_${pad(n / 10)}`);
    }
    return { id: `cus_${pad(n)}`, name: `Customer ${n}`, invoiceIds };
  });
}

/** How many batch calls a provider needs for `count` unique ids at `batchSize` ids per call. */
export const batches = (count: number, batchSize: number) => Math.ceil(count / batchSize);

/** The unique ids of one source among the customers' invoices. */
export function uniqueIdsOf(customers: CustomerRecord[], source: string): string[] {
  return [...new Set(customers.flatMap((c) => c.invoiceIds).filter((id) => id.startsWith(`${source}:`)))];
}
