// Fragment as one provider package: settings, environment, adapter and sandbox.
import type { ProviderDefinition } from '../kit/adapter.js';
import { createFragmentAdapter } from './fragment-adapter.js';
import { fragmentChangeDetection } from './fragment-changes.js';
import { startFragmentSandbox } from './sandbox/fragment-sandbox.js';
import { fragmentSettingsSchema, settingsFromEnv, type FragmentSettings } from './settings.js';

export const fragmentProvider: ProviderDefinition<FragmentSettings> = {
  kind: 'fragment',
  settingsSchema: fragmentSettingsSchema,
  settingsFromEnv,
  envVariables: { baseUrl: 'FRAGMENT_BASE_URL', clientId: 'FRAGMENT_CLIENT_ID', clientSecret: 'FRAGMENT_CLIENT_SECRET', tokenUrl: 'FRAGMENT_TOKEN_URL' },
  createAdapter: createFragmentAdapter,
  changeDetection: fragmentChangeDetection,
  async startSandbox(options) {
    const handle = await startFragmentSandbox({ port: options?.port, invoiceCount: options?.invoiceCount });
    return {
      handle,
      settings: {
        name: 'fragment',
        baseUrl: handle.url,
        clientId: handle.clientId,
        clientSecret: handle.clientSecret,
        tokenUrl: `${handle.url}/oauth2/token`,
      },
      // An open and a partly paid invoice (the seed cycles open / partly / fully paid).
      exampleInvoiceIds: ['inv_0003', 'inv_0004'],
    };
  },
};
