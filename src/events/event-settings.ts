// The settings of change notifications (docs/events.md): polling, retention, subscriptions, Xero's webhook key, and
// the sandboxes' own activity. Checked with the rest of the configuration (src/config.ts).
import { z } from 'zod';
import { defaultsOf, int, settingsRoom, type RoomValues } from '../settings-room.js';

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

export const EVENT_SETTINGS = settingsRoom({ title: 'Change notifications', guide: 'events.md', source: import.meta.url }, {
  GATEWAY_POLL_INTERVAL_MS: int(100, 86_400_000)
    .default(30_000)
    .describe('How often a source without webhooks is polled for changes (jittered by ±10%); with several replicas one replica polls each source at a time.'),
  GATEWAY_POLL_SWEEP_MS: int(100, 7 * 86_400_000)
    .default(300_000)
    .describe('How often every page of a polled source whose listing has no modification-time filter (Fragment, Korint) is read and compared, between the polls of its newest pages.'),
  GATEWAY_POLL_NEWEST_PAGES: int(1, 100).default(1).describe('The newest pages of such a source read at every poll between sweeps.'),
  GATEWAY_EVENT_RETENTION_MS: int(1_000, 30 * 86_400_000)
    .default(86_400_000)
    .describe('How long events can be replayed with `after` (or `Last-Event-ID`), and how long a change is remembered so it is published once.'),
  GATEWAY_EVENT_MAX_EVENTS: int(100, 10_000_000).default(100_000).describe('The most events the log keeps, whatever their age.'),
  GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: int(1, 100_000)
    .default(10)
    .describe('Subscriptions one client may hold at once, across replicas (per remote address when GATEWAY_AUTH=none).'),
  GATEWAY_MAX_SUBSCRIPTIONS: int(1, 1_000_000).default(10_000).describe('Subscriptions one replica holds at once, all clients together.'),
  XERO_WEBHOOK_KEY: z
    .string()
    .min(16, 'must be at least 16 characters (the key Xero shows for the webhook)')
    .optional()
    .describe('The key Xero signs webhook deliveries to `POST /webhooks/xero` with (the app\'s webhook page shows it). Unset, Xero sources are polled; over the sandboxes a key of the run\'s own is used.'),
  GATEWAY_SANDBOX_ACTIVITY_MS: int(0, 86_400_000)
    .default(20_000)
    .describe('Over the built-in sandboxes, a change at one of them this often, so a subscription in GraphiQL sees events (0: never).'),
});

/** The settings when no variable is set. */
export const DEFAULT_EVENT_SETTINGS: EventSettings = eventSettingsFrom(defaultsOf(EVENT_SETTINGS));

/** The settings from validated variables. */
export function eventSettingsFrom(env: RoomValues<typeof EVENT_SETTINGS>): EventSettings {
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
