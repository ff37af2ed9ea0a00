// `npm start` over the sandboxes: the Xero sandbox's webhook is pointed at this gateway (with a key made for the run,
// unless XERO_WEBHOOK_KEY is set) and passes Xero's intent-to-receive check, and something changes at one of the
// sandboxes every GATEWAY_SANDBOX_ACTIVITY_MS, so a subscription in GraphiQL shows events without anyone doing anything.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { applySandboxChange, SANDBOX_CHANGE_KINDS, type SandboxChanges } from '../../adapters/kit/sandbox-changes.js';
import type { SandboxHandle } from '../../adapters/kit/sandbox-server.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { RunningSandboxes } from '../sandboxes.js';

/** A webhook key for one run of the sandboxes. */
export function sandboxWebhookKey(): string {
  return randomBytes(24).toString('base64url');
}

/** Points the Xero sandbox's webhook at `origin`; answers whether the intent-to-receive check passed. */
export async function wireSandboxWebhooks(sandboxes: RunningSandboxes, origin: string, key: string, logger: Logger): Promise<boolean> {
  const xero = sandboxes.started.find((s) => s.kind === 'xero')?.handle as XeroSandboxHandle | undefined;
  if (!xero) return false;
  const intent = await xero.webhooks.subscribe({ url: `${origin}/webhooks/xero`, key });
  if (intent.passed) logger.info({ url: `${origin}/webhooks/xero` }, 'xero sandbox: webhook enabled (intent to receive passed)');
  else logger.warn({ answers: intent.answers }, 'xero sandbox: intent to receive failed; Xero changes will not be delivered');
  return intent.passed;
}

/** Makes one change at one sandbox every `everyMs` (round robin over the sandboxes and the kinds of change). */
export function startSandboxActivity(sandboxes: RunningSandboxes, everyMs: number, logger: Logger): () => void {
  if (everyMs <= 0) return () => undefined;
  const withChanges = sandboxes.started.filter((s) => 'changes' in s.handle) as unknown as Array<{ kind: string; handle: SandboxHandle & { changes: SandboxChanges } }>;
  let turn = 0;
  const timer = setInterval(() => {
    const sandbox = withChanges[turn % withChanges.length];
    const kind = SANDBOX_CHANGE_KINDS[Math.floor(turn / withChanges.length) % SANDBOX_CHANGE_KINDS.length];
    turn += 1;
    try {
      const change = applySandboxChange(sandbox.handle.changes, kind);
      logger.info({ sandbox: sandbox.kind, change: change.kind, invoiceId: change.invoiceId }, 'sandbox activity');
    } catch (error) {
      logger.debug({ sandbox: sandbox.kind, err: error }, 'sandbox activity skipped');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
