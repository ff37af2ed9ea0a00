// The settings of change notifications (docs/events.md): polling, retention, subscriptions, Xero's webhook key, and
// the sandboxes' own activity. Read with the rest of the configuration (src/config.ts spreads EVENT_ENV in).
import { z } from 'zod';

export interface EventSettings {
  /** GATEWAY_POLL_INTERVAL_MS: how often a source without webhooks is polled (jittered by ±10%). */
  pollIntervalMs: number;
  /** GATEWAY_POLL_SWEEP_MS: how often every page of a source without a modification-time filter is read. */
  pollSweepMs: number;
  /** GATEWAY_POLL_NEWEST_PAGES: the newest pages read every interval between sweeps. */
  pollNewestPages: number;
  /** GATEWAY_EVENT_RETENTION_MS: how long events can be replayed with `after` (and how long a change key is remembered). */
  retentionMs: number;
  /** GATEWAY_EVENT_MAX_EVENTS: the most events the log keeps, whatever their age. */
  maxEvents: number;
  /** GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: subscriptions one client may hold at once, across replicas. */
  maxSubscriptionsPerClient: number;
  /** GATEWAY_MAX_SUBSCRIPTIONS: subscriptions one replica holds at once, all clients together. */
  maxSubscriptions: number;
  /** XERO_WEBHOOK_KEY: the key Xero signs webhook deliveries with; without it Xero sources are polled. */
  xeroWebhookKey?: string;
  /** GATEWAY_SANDBOX_ACTIVITY_MS: with the sandboxes, a change at one of them this often (0: never). */
  sandboxActivityMs: number;
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = {
  pollIntervalMs: 30_000,
  pollSweepMs: 300_000,
  pollNewestPages: 1,
  retentionMs: 86_400_000,
  maxEvents: 100_000,
  maxSubscriptionsPerClient: 10,
  maxSubscriptions: 10_000,
  sandboxActivityMs: 20_000,
};

/** A whole number from the environment, quoting what was given when it is not one (as the other settings do). */
const int = (min: number, max: number) =>
  z.unknown().transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : String(value);
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const number = Number(text);
    if (number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got ${text}` });
      return z.NEVER;
    }
    return number;
  });

/** The variables, checked with the others at start. */
export const EVENT_ENV = {
  GATEWAY_POLL_INTERVAL_MS: int(100, 86_400_000).default(DEFAULT_EVENT_SETTINGS.pollIntervalMs),
  GATEWAY_POLL_SWEEP_MS: int(100, 7 * 86_400_000).default(DEFAULT_EVENT_SETTINGS.pollSweepMs),
  GATEWAY_POLL_NEWEST_PAGES: int(1, 100).default(DEFAULT_EVENT_SETTINGS.pollNewestPages),
  GATEWAY_EVENT_RETENTION_MS: int(1_000, 30 * 86_400_000).default(DEFAULT_EVENT_SETTINGS.retentionMs),
  GATEWAY_EVENT_MAX_EVENTS: int(100, 10_000_000).default(DEFAULT_EVENT_SETTINGS.maxEvents),
  GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: int(1, 100_000).default(DEFAULT_EVENT_SETTINGS.maxSubscriptionsPerClient),
  GATEWAY_MAX_SUBSCRIPTIONS: int(1, 1_000_000).default(DEFAULT_EVENT_SETTINGS.maxSubscriptions),
  XERO_WEBHOOK_KEY: z.string().min(16, 'must be at least 16 characters (the key Xero shows for the webhook)').optional(),
  GATEWAY_SANDBOX_ACTIVITY_MS: int(0, 86_400_000).default(DEFAULT_EVENT_SETTINGS.sandboxActivityMs),
};

type EventEnv = Omit<{ [K in keyof typeof EVENT_ENV]: z.output<(typeof EVENT_ENV)[K]> }, 'XERO_WEBHOOK_KEY'> & { XERO_WEBHOOK_KEY?: string };

/** The settings from validated variables. */
export function eventSettingsFromEnv(env: EventEnv): EventSettings {
  return {
    pollIntervalMs: env.GATEWAY_POLL_INTERVAL_MS,
    pollSweepMs: env.GATEWAY_POLL_SWEEP_MS,
    pollNewestPages: env.GATEWAY_POLL_NEWEST_PAGES,
    retentionMs: env.GATEWAY_EVENT_RETENTION_MS,
    maxEvents: env.GATEWAY_EVENT_MAX_EVENTS,
    maxSubscriptionsPerClient: env.GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT,
    maxSubscriptions: env.GATEWAY_MAX_SUBSCRIPTIONS,
    xeroWebhookKey: env.XERO_WEBHOOK_KEY,
    sandboxActivityMs: env.GATEWAY_SANDBOX_ACTIVITY_MS,
  };
}
