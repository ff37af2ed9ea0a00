// Xero (accounting API): the provider package and what tests and benchmarks reach for.
export { xeroProvider } from './provider.js';
export { createXeroAdapter, type XeroAdapterTestHooks } from './xero-adapter.js';
export { xeroSettingsSchema, settingsFromEnv, type XeroSettings } from './settings.js';
export { xeroInvoiceFromWire, xeroInvoiceToModel, xeroPaymentToModel, xeroBatchPaymentToModel, invoiceStatusOf, directionOfInvoiceType } from './xero-to-model.js';
export { xeroDateToIso, xeroDateToIsoDate, toXeroDate } from './xero-dates.js';
export { startXeroSandbox, type XeroSandboxHandle, type XeroSandboxOptions } from './sandbox/xero-sandbox.js';
export type { XeroSandboxDataset, XeroSandboxInvoice, XeroSandboxPayment, XeroSandboxBatch } from './sandbox/xero-sandbox-data.js';
export type { XeroSandboxLimits } from './sandbox/xero-sandbox-limits.js';
