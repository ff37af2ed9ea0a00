// The providers the gateway knows. Adding a provider means adding its folder and one line here.
import type { ProviderDefinition } from './kit/adapter.js';

export const providers: ProviderDefinition<any>[] = [];
