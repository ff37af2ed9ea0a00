// The Korint provider package: settings, environment, adapter and simulator, as the gateway registers them.
import type { ProviderDefinition } from '../kit/adapter.js';
import { createKorintAdapter, KORINT_KIND } from './korint-adapter.js';
import { korintChangeDetection } from './korint-changes.js';
import { startKorintSandbox } from './sandbox/korint-sandbox.js';
import { KORINT_VARIABLES, korintSettingsFromEnv, korintSettingsSchema, type KorintSettings } from './settings.js';

export const korintProvider: ProviderDefinition<KorintSettings> = {
  kind: KORINT_KIND,
  settingsSchema: korintSettingsSchema,
  settingsFromEnv: korintSettingsFromEnv,
  envVariables: KORINT_VARIABLES,
  describeAuth: (settings) => (settings.tokenFile ? 'bearer token from KORINT_TOKEN_FILE, read again when it changes' : 'bearer token, read once'),
  createAdapter: createKorintAdapter,
  changeDetection: korintChangeDetection,
  async startSandbox(options = {}) {
    const handle = await startKorintSandbox({ port: options.port, invoiceCount: options.invoiceCount });
    const paid = handle.paidInvoice();
    return {
      handle,
      settings: { name: 'korint', baseUrl: handle.url, token: handle.token },
      exampleInvoiceIds: [paid.id, handle.invoices[0].id],
    };
  },
};
