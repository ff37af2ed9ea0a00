import { describe, expect, it } from 'vitest';
import { fragmentProvider } from '../../../adapters/fragment/provider.js';
import { fragmentSettingsSchema, settingsFromEnv } from '../../../adapters/fragment/settings.js';

describe('Fragment settings', () => {
  it('fills defaults', () => {
    const settings = fragmentSettingsSchema.parse({ baseUrl: 'https://api.us-west-2.fragment.dev', clientId: 'id', clientSecret: 'secret' });
    expect(settings).toEqual({
      name: 'fragment',
      baseUrl: 'https://api.us-west-2.fragment.dev',
      clientId: 'id',
      clientSecret: 'secret',
      tokenUrl: 'https://auth.us-west-2.fragment.dev/oauth2/token',
      currencyScales: {},
      maxBatchSize: 200,
      concurrency: 4,
      searchOrder: 'created-desc',
      searchPageSize: 200,
    });
  });

  it('refuses a missing secret, a bad URL and a batch size over 200', () => {
    const base = { baseUrl: 'https://x.test', clientId: 'id', clientSecret: 'secret' };
    expect(fragmentSettingsSchema.safeParse({ ...base, clientSecret: '' }).success).toBe(false);
    expect(fragmentSettingsSchema.safeParse({ ...base, baseUrl: 'not a url' }).success).toBe(false);
    expect(fragmentSettingsSchema.safeParse({ ...base, maxBatchSize: 201 }).success).toBe(false);
    expect(fragmentSettingsSchema.parse({ ...base, currencyScales: { pts2: 2 } }).currencyScales).toEqual({ PTS2: 2 });
  });

  it('reads FRAGMENT_* variables, and nothing without a base URL', () => {
    expect(settingsFromEnv({ FRAGMENT_CLIENT_ID: 'id' })).toBeUndefined();
    expect(
      settingsFromEnv({
        FRAGMENT_BASE_URL: 'https://api.test',
        FRAGMENT_CLIENT_ID: 'id',
        FRAGMENT_CLIENT_SECRET: 'secret',
        FRAGMENT_TOKEN_URL: 'https://auth.test/oauth2/token',
      }),
    ).toEqual({ baseUrl: 'https://api.test', clientId: 'id', clientSecret: 'secret', tokenUrl: 'https://auth.test/oauth2/token' });
    expect(fragmentProvider.settingsFromEnv({ FRAGMENT_BASE_URL: 'https://api.test' })).not.toHaveProperty('tokenUrl');
  });

  it('starts a sandbox whose settings validate and point at it', async () => {
    const { handle, settings } = await fragmentProvider.startSandbox();
    try {
      const parsed = fragmentProvider.settingsSchema.parse(settings);
      expect(parsed).toMatchObject({ name: 'fragment', baseUrl: handle.url, tokenUrl: `${handle.url}/oauth2/token` });
      expect(fragmentProvider.kind).toBe('fragment');
    } finally {
      await handle.close();
    }
  });
});
