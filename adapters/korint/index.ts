// Korint (insurance billing): everything the gateway and the tests use of this provider.
export { korintProvider } from './provider.js';
export { createKorintAdapter, korintIdsPerRequest, KORINT_KIND, KORINT_MAX_BATCH_SIZE } from './korint-adapter.js';
export {
  korintInvoiceFromWire,
  korintInvoiceToModel,
  korintStatusToModel,
  KORINT_FALLBACK_STATUS,
  KORINT_RECEIVED_STATUSES,
  KORINT_STATUS_MAP,
  type KorintMappingContext,
} from './korint-to-model.js';
export { korintSettingsFromEnv, korintSettingsSchema, KORINT_MAX_PAGE_SIZE, type KorintSettings } from './settings.js';
export * from './wire.js';
export { startKorintSandbox, type KorintSandboxHandle, type KorintSandboxOptions } from './sandbox/korint-sandbox.js';
export { KORINT_DOCUMENTED_STATUSES, KORINT_SANDBOX_STATUSES, type SeededKorintInvoice } from './sandbox/seed-data.js';
