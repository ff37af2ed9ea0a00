// What every sandbox offers to make its provider's data change while it runs (an invoice paid, a new invoice, an
// invoice updated), and the loopback route that lets a person ask for one with curl: `POST /_sandbox/changes`.
import type { SandboxRoute } from './sandbox-server.js';

/** A change a sandbox can make to its data, as a provider's users would. */
export type SandboxChangeKind = 'pay' | 'create' | 'update';

export const SANDBOX_CHANGE_KINDS: readonly SandboxChangeKind[] = ['pay', 'create', 'update'];

/** One change made: which invoice, and what happened to it. */
export interface SandboxChange {
  kind: SandboxChangeKind;
  invoiceId: string;
  /** Epoch ms at which the provider recorded the change. */
  atMs: number;
}

/** The changes a sandbox can make; each moves the provider's modification times as the provider does. */
export interface SandboxChanges {
  /** Pays what remains due on `invoiceId` (by default a recent invoice with something due). */
  payInvoice(invoiceId?: string): SandboxChange;
  /** Creates a new invoice, dated now. */
  createInvoice(): SandboxChange;
  /** Changes a detail of `invoiceId` (by default a recent invoice) without touching its amounts. */
  updateInvoice(invoiceId?: string): SandboxChange;
}

/** Applies one change by its kind. */
export function applySandboxChange(changes: SandboxChanges, kind: SandboxChangeKind, invoiceId?: string): SandboxChange {
  if (kind === 'pay') return changes.payInvoice(invoiceId);
  if (kind === 'create') return changes.createInvoice();
  return changes.updateInvoice(invoiceId);
}

/** `POST /_sandbox/changes` with `{ "change": "pay" | "create" | "update", "invoiceId"?: "..." }`: not part of the provider's API. */
export function sandboxChangeRoute(changes: SandboxChanges): SandboxRoute {
  return {
    name: 'sandbox-changes',
    method: 'POST',
    path: /^\/_sandbox\/changes$/,
    handler: (req) => {
      const body = (req.body ?? {}) as { change?: unknown; invoiceId?: unknown };
      const kind = body.change ?? 'pay';
      if (typeof kind !== 'string' || !SANDBOX_CHANGE_KINDS.includes(kind as SandboxChangeKind)) {
        return { status: 400, json: { error: `change must be one of ${SANDBOX_CHANGE_KINDS.join(', ')}` } };
      }
      const invoiceId = typeof body.invoiceId === 'string' && body.invoiceId !== '' ? body.invoiceId : undefined;
      try {
        return { status: 200, json: applySandboxChange(changes, kind as SandboxChangeKind, invoiceId) };
      } catch (error) {
        return { status: 404, json: { error: error instanceof Error ? error.message : 'no such invoice' } };
      }
    },
  };
}

/** A modification time strictly after `previousMs` (two changes in one millisecond still move it). */
export function nextModification(previousMs: number, now: number = Date.now()): number {
  return Math.max(now, previousMs + 1);
}
