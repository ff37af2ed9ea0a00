// The providers the gateway knows. Adding a provider means adding its folder and one line here.
import type { ProviderDefinition } from './kit/adapter.js';
import { fragmentProvider } from './fragment/provider.js';
import { korintProvider } from './korint/provider.js';
import { xeroProvider } from './xero/provider.js';

export const providers: ProviderDefinition<any>[] = [fragmentProvider, korintProvider, xeroProvider];
