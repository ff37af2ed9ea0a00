// The change-notification settings are read and checked with the rest of the configuration: defaults, values, and
// problems named by their variable without echoing the webhook key.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_EVENT_SETTINGS } from '../../src/events/event-settings.js';
import { configError } from '../support/config.js';

describe('change notification settings', () => {
  it('have documented defaults', () => {
    const events = loadConfig({}, providers).events;
    expect(events).toEqual({ ...DEFAULT_EVENT_SETTINGS, xeroWebhookKey: undefined });
    // The ones DESIGN.md names.
    expect(events).toMatchObject({ pollIntervalMs: 30_000, retentionMs: 86_400_000, maxSubscriptionsPerClient: 10 });
  });

  it('are read from the environment', () => {
    const config = loadConfig(
      { GATEWAY_POLL_INTERVAL_MS: '5000', GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: '3', GATEWAY_EVENT_RETENTION_MS: '3600000', XERO_WEBHOOK_KEY: 'k'.repeat(32) },
      providers,
    );
    expect(config.events).toMatchObject({ pollIntervalMs: 5_000, maxSubscriptionsPerClient: 3, retentionMs: 3_600_000, xeroWebhookKey: 'k'.repeat(32) });
  });

  it('refuse bad values, every problem at once, never echoing the key', () => {
    const error = configError({ GATEWAY_POLL_INTERVAL_MS: 'often', GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: '0', XERO_WEBHOOK_KEY: 'short-key' });
    expect(error.problems).toContain('GATEWAY_POLL_INTERVAL_MS: expected an integer, got "often"');
    expect(error.problems).toContain('GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: expected an integer from 1 to 100000, got 0');
    expect(error.problems.some((p) => p.startsWith('XERO_WEBHOOK_KEY:'))).toBe(true);
    expect(error.message).not.toContain('short-key');
  });
});
