// Xero's webhooks as the sandbox sends them: INVOICE CREATE / UPDATE events batched into one signed POST
// (`x-xero-signature`: base64 HMAC-SHA256 of the raw body under the webhook key), with sequence numbers and entropy;
// the intent-to-receive check (correctly and incorrectly signed empty payloads: 200 with an empty body for the first,
// 401 for the second, or the webhook is not enabled); an answer other than 200 within 5 s is a failed delivery, retried
// with decreasing frequency for up to 24 hours, after which the webhook is disabled. Xero may send an event again: a
// delivery can be re-sent as it was (`redeliverLast`).
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { XeroEventType } from './xero-sandbox-changes.js';

/** One event of a webhook payload, as Xero writes it. */
export interface XeroWebhookEvent {
  resourceUrl: string;
  resourceId: string;
  /** UTC, without a zone, to the millisecond (`2025-10-21T01:15:39.902`). */
  eventDateUtc: string;
  eventType: XeroEventType;
  eventCategory: 'INVOICE';
  tenantId: string;
  tenantType: 'ORGANISATION';
}

export interface XeroWebhookAttempt {
  /** The raw body sent (what the signature covers). */
  body: string;
  signature: string;
  /** The status answered, `timeout` past 5 s, or `error` when the request failed. */
  outcome: number | 'timeout' | 'error';
  /** The length of the answer's body (Xero wants none). */
  answerBytes: number;
  events: number;
  redelivery: boolean;
}

export interface XeroIntentResult {
  passed: boolean;
  answers: Array<{ signed: 'correctly' | 'incorrectly'; outcome: number | 'timeout' | 'error'; answerBytes: number }>;
}

export type XeroWebhookStatus = 'NONE' | 'INTENT_FAILED' | 'OK' | 'FAILING' | 'DISABLED';

export interface XeroWebhookOptions {
  /** Where deliveries go (the webhook's delivery URL). */
  url: string;
  /** The webhook key deliveries are signed with. */
  key: string;
  /** Run the intent-to-receive check first (as Xero does when a webhook is created); true unless told. */
  validate?: boolean;
  /** How long events are gathered into one payload (ms). */
  batchMs?: number;
  /** Waits between retries of a failed delivery, growing (the last one repeats). */
  retryDelaysMs?: readonly number[];
  /** How long a delivery is retried before the webhook is disabled (Xero: 24 hours). */
  retryWindowMs?: number;
}

export interface XeroSandboxWebhooks {
  /** Points the webhook at `url`; answers the intent-to-receive result (the webhook is enabled only when it passed). */
  subscribe(options: XeroWebhookOptions): Promise<XeroIntentResult>;
  /** Runs the intent-to-receive check again against the current URL. */
  intentToReceive(): Promise<XeroIntentResult>;
  unsubscribe(): void;
  readonly status: XeroWebhookStatus;
  /** Every attempt made, in order. */
  attempts(): readonly XeroWebhookAttempt[];
  /** Sends the last delivered payload again, exactly as it was (Xero may deliver an event more than once). */
  redeliverLast(): Promise<void>;
  /** Resolves once nothing is gathered, in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Hears a change of the books (wired to the sandbox's changes). */
  record(tenant: string, invoiceId: string, type: XeroEventType, atMs: number): void;
}

const ANSWER_TIMEOUT_MS = 5_000;
const DAY_MS = 86_400_000;
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000];

/** The `x-xero-signature` of `body` under `key`. */
export function signXeroPayload(body: string, key: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('base64');
}

function post(url: string, body: string, signature: string): Promise<{ outcome: number | 'timeout' | 'error'; answerBytes: number }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (outcome: number | 'timeout' | 'error', answerBytes = 0) => {
      if (settled) return;
      settled = true;
      resolve({ outcome, answerBytes });
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-xero-signature': signature },
        timeout: ANSWER_TIMEOUT_MS,
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => done(res.statusCode ?? 0, bytes));
        res.on('error', () => done('error'));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      done('timeout');
    });
    req.on('error', () => done('error'));
    req.end(body);
  });
}

/** Creates the webhook sender of a sandbox whose API lives at `apiUrl()` (known once it listens). */
export function createXeroSandboxWebhooks(apiUrl: () => string): XeroSandboxWebhooks {
  let options: Required<XeroWebhookOptions> | undefined;
  let status: XeroWebhookStatus = 'NONE';
  let gathered: XeroWebhookEvent[] = [];
  let gatherTimer: NodeJS.Timeout | undefined;
  let sequence = 0;
  let lastDelivered: { body: string } | undefined;
  const attempts: XeroWebhookAttempt[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      timers.add(timer);
    });

  const attempt = async (body: string, events: number, redelivery: boolean, key: string, url: string): Promise<boolean> => {
    const signature = signXeroPayload(body, key);
    const { outcome, answerBytes } = await post(url, body, signature);
    attempts.push({ body, signature, outcome, answerBytes, events, redelivery });
    return outcome === 200;
  };

  const deliver = async (body: string, events: number, redelivery: boolean) => {
    const current = options;
    if (!current) return;
    const firstTry = Date.now();
    for (let retry = 0; ; retry += 1) {
      if (options !== current || status === 'DISABLED') return;
      if (await attempt(body, events, redelivery, current.key, current.url)) {
        if (status === 'FAILING') status = 'OK';
        lastDelivered = { body };
        return;
      }
      status = 'FAILING';
      const delay = current.retryDelaysMs[Math.min(retry, current.retryDelaysMs.length - 1)];
      if (Date.now() + delay - firstTry > current.retryWindowMs) {
        status = 'DISABLED';
        return;
      }
      await wait(delay);
    }
  };

  const flush = () => {
    gatherTimer = undefined;
    if (gathered.length === 0 || !options) return;
    const events = gathered;
    gathered = [];
    const first = sequence + 1;
    sequence += events.length;
    const body = JSON.stringify({ events, firstEventSequence: first, lastEventSequence: sequence, entropy: randomBytes(15).toString('base64url').toUpperCase() });
    track(deliver(body, events.length, false));
  };

  const intentToReceive = async (): Promise<XeroIntentResult> => {
    const current = options;
    if (!current) throw new Error('no webhook URL: subscribe first');
    const answers: XeroIntentResult['answers'] = [];
    // A series of empty payloads, some signed with another key: the endpoint must tell them apart.
    for (const signed of ['incorrectly', 'correctly', 'incorrectly', 'correctly'] as const) {
      const body = JSON.stringify({ events: [], lastEventSequence: 0, firstEventSequence: 0, entropy: randomBytes(15).toString('base64url').toUpperCase() });
      const key = signed === 'correctly' ? current.key : `${current.key}-not-the-key`;
      const { outcome, answerBytes } = await post(current.url, body, signXeroPayload(body, key));
      attempts.push({ body, signature: signXeroPayload(body, key), outcome, answerBytes, events: 0, redelivery: false });
      answers.push({ signed, outcome, answerBytes });
    }
    const passed = answers.every((a) => (a.signed === 'correctly' ? a.outcome === 200 && a.answerBytes === 0 : a.outcome === 401));
    status = passed ? 'OK' : 'INTENT_FAILED';
    return { passed, answers };
  };

  return {
    async subscribe(given) {
      options = {
        validate: true,
        batchMs: 50,
        retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
        retryWindowMs: DAY_MS,
        ...given,
      };
      if (!options.validate) {
        status = 'OK';
        return { passed: true, answers: [] };
      }
      return intentToReceive();
    },
    intentToReceive,
    unsubscribe() {
      options = undefined;
      status = 'NONE';
      gathered = [];
      if (gatherTimer) clearTimeout(gatherTimer);
      gatherTimer = undefined;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    get status() {
      return status;
    },
    attempts: () => attempts,
    async redeliverLast() {
      if (!lastDelivered || !options) throw new Error('nothing was delivered yet');
      const work = deliver(lastDelivered.body, (JSON.parse(lastDelivered.body) as { events: unknown[] }).events.length, true);
      track(work);
      await work;
    },
    async idle() {
      while (gatherTimer || pending.size > 0) {
        if (gatherTimer) await new Promise((resolve) => setTimeout(resolve, 10));
        else await Promise.allSettled([...pending]);
      }
    },
    record(tenant, invoiceId, type, atMs) {
      // Only an enabled webhook hears events; a disabled one stays silent until re-enabled.
      if (!options || (status !== 'OK' && status !== 'FAILING')) return;
      gathered.push({
        resourceUrl: `${apiUrl()}/Invoices/${invoiceId}`,
        resourceId: invoiceId,
        eventDateUtc: new Date(atMs).toISOString().slice(0, 23),
        eventType: type,
        eventCategory: 'INVOICE',
        tenantId: tenant,
        tenantType: 'ORGANISATION',
      });
      if (!gatherTimer) {
        gatherTimer = setTimeout(flush, options.batchMs);
        gatherTimer.unref();
      }
    },
  };
}
