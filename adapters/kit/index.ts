// The adapter kit: the contract, the model, exact money, errors, the HTTP helper, batching, auth and the sandbox server.
export * from './adapter.js';
export * from './batching.js';
export * from './currencies.js';
export * from './errors.js';
export * from './http.js';
export * from './listing.js';
export * from './model.js';
export * from './money.js';
export * from './oauth-client-credentials.js';
export * from './rate-limiter.js';
export * from './sandbox-server.js';
export * from './status.js';
export * from './wire.js';
export * from './circuit-breaker.js';
export * from './retry.js';
export * from './model-plain.js';
export * from './wire-item.js';
