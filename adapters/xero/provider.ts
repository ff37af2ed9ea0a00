// Xero as one provider package: settings, environment, adapter and sandbox.
import type { ProviderDefinition } from '../kit/adapter.js';
import { startXeroSandbox } from './sandbox/xero-sandbox.js';
import { settingsFromEnv, XERO_VARIABLES, xeroAuthMode, xeroConnectionOf, xeroSettingsSchema, type XeroSettings } from './settings.js';
import { createXeroAdapter } from './xero-adapter.js';
import { xeroConnect } from './xero-connect.js';
import { xeroChangeDetection } from './xero-changes.js';
import { xeroWebhook } from './xero-webhook.js';

export const xeroProvider: ProviderDefinition<XeroSettings> = {
  kind: 'xero',
  settingsSchema: xeroSettingsSchema,
  settingsFromEnv,
  envVariables: XERO_VARIABLES,
  createAdapter: createXeroAdapter,
  connectionOf: xeroConnectionOf,
  describeAuth(settings) {
    const tenant = settings.tenantId ? '' : ', tenant from /connections';
    switch (xeroAuthMode(settings)) {
      case 'access-token':
        return `access token issued elsewhere, never renewed${tenant}`;
      case 'client-credentials':
        return `custom connection (client credentials)${tenant}`;
      default:
        return `standard app, refresh token of connection "${xeroConnectionOf(settings)}"${tenant}`;
    }
  },
  connect: xeroConnect,
  changeDetection: xeroChangeDetection,
  webhook: xeroWebhook,
  async startSandbox(options) {
    const handle = await startXeroSandbox({ port: options?.port, invoiceCount: options?.invoiceCount });
    // The sandbox may serve several tenants; these settings point at the first (a source per tenant for the others).
    return {
      handle,
      settings: { name: 'xero', baseUrl: handle.apiUrl, tenantId: handle.tenants[0], accessToken: handle.accessToken },
      exampleInvoiceIds: handle.dataset().invoices.slice(0, 2).map((invoice) => invoice.id),
    };
  },
};
