// The merge: the sources' invoices in one order. A source is called again only when its next invoice is unknown and
// could come before the others' (what it read cannot prove the order). A source the gateway filters has a budget of
// calls per page; past it the page ends early (the one case where a page may be short, or even empty, with more to come).
import type { CursorState, SourceCursorState } from './cursor.js';
import type { ListedInvoice, SourceReader } from './source-reader.js';
import { comparePlaces } from './sort-key.js';
import type { InvoiceListOrder } from '../../adapters/kit/listing.js';

export interface MergedEdge {
  item: ListedInvoice;
  /** The cursor state right after this invoice. */
  state: CursorState;
}

export interface MergedPage {
  edges: MergedEdge[];
  /** The cursor state after the page. */
  end: CursorState;
  hasNextPage: boolean;
}

export interface MergeOptions {
  readers: SourceReader[];
  order: InvoiceListOrder;
  first: number;
  query: string;
  /** The calls a source whose answers the gateway filters may take for this page (see SourceReader.mayCall). */
  maxCalls: number;
}

function snapshot(readers: SourceReader[], query: string): CursorState {
  const s: Record<string, SourceCursorState> = {};
  for (const reader of readers) s[reader.source] = reader.state();
  return { q: query, s };
}

/** Merges one page of at most `first` invoices. */
export async function mergePage(options: MergeOptions): Promise<MergedPage> {
  const { readers, order, first, query } = options;
  const edges: MergedEdge[] = [];
  while (edges.length < first) {
    const waiting = readers.filter((reader) => reader.needsCall());
    if (waiting.length > 0) {
      // Without the next invoice of a waiting source the order cannot be proved: read it, or stop within budget.
      if (waiting.some((reader) => !reader.mayCall(options.maxCalls))) break;
      const wanted = first - edges.length;
      await Promise.all(waiting.map((reader) => reader.read(wanted)));
      continue;
    }
    let best: SourceReader | undefined;
    let bestItem: ListedInvoice | undefined;
    for (const reader of readers) {
      const item = reader.head();
      if (item && (!bestItem || comparePlaces(item, bestItem, order) < 0)) {
        best = reader;
        bestItem = item;
      }
    }
    if (!best) break;
    edges.push({ item: best.take(), state: snapshot(readers, query) });
  }
  return { edges, end: snapshot(readers, query), hasNextPage: readers.some((reader) => reader.hasMore()) };
}
