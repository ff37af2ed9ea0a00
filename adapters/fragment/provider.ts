// Fragment as one provider package: settings, environment, adapter and sandbox.
import type { ProviderDefinition } from '../kit/adapter.js';
import { createFragmentAdapter } from './fragment-adapter.js';
import { fragmentChangeDetection } from './fragment-changes.js';
import { startFragmentSandbox } from './sandbox/fragment-sandbox.js';
import { FRAGMENT_VARIABLES, fragmentSettingsSchema, settingsFromEnv, type FragmentSettings } from './settings.js';

export const fragmentProvider: ProviderDefinition<FragmentSettings> = {
  kind: 'fragment',
  settingsSchema: fragmentSettingsSchema,
  settingsFromEnv,
  envVariables: FRAGMENT_VARIABLES,
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
