// Fragment (fragment.dev billing API): the provider package and what tests and benchmarks reach for.
export { fragmentProvider } from './provider.js';
export { createFragmentAdapter, type FragmentAdapter, type FragmentAdapterDependencies } from './fragment-adapter.js';
export { fragmentSettingsSchema, settingsFromEnv, type FragmentSettings } from './settings.js';
export { fragmentInvoiceFromWire, fragmentInvoiceToModel, fragmentPaymentRemoteId, parseFragmentPaymentRemoteId } from './fragment-to-model.js';
export { startFragmentSandbox, type FragmentSandboxHandle, type FragmentSandboxOptions } from './sandbox/fragment-sandbox.js';
