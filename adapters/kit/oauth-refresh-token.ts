// Access tokens from a rotating refresh token (Xero's standard apps). Every refresh spends the refresh token and returns
// a new one, so the chain must live in one place for every replica and every source of the connection: the token store.
// - An access token is renewed when less than a tenth of its lifetime (at most 60 s) remains, and once after a 401.
// - One refresh per connection at a time across replicas (the store's lock, with a lease); the others wait for it and
//   read its result. The new refresh token is stored before the new access token is used.
// - The seed refresh token (XERO_REFRESH_TOKEN) is used only while the store holds none.
// - A network error keeps the old refresh token (it stays valid for the provider's grace period) and backs off.
// - `invalid_grant` means only a new consent helps: the source answers reconnect errors, marks the store so that other
//   replicas do not try the spent token again, and calls the token endpoint no more (a long back-off aside) until new
//   tokens appear in the store (`npm run connect`), which it notices without a restart.
// - While the store is unreachable (Redis away) nothing is rotated: a refresh nobody could record would leave every
//   other replica with a spent token. The current access token serves until it really expires; then the source answers
//   UPSTREAM_UNAVAILABLE until the store is back.
import { AdapterError } from './errors.js';
import type { CallContext } from './http.js';
import { untilAborted, type TokenSource } from './oauth-client-credentials.js';
import { InvalidGrantError, type TokenSet } from './oauth-grants.js';
import {
  TokenStoreKeyError,
  TokenStoreUnavailableError,
  type ConnectionState,
  type ConnectionTokens,
  type TokenStore,
} from './token-store.js';

export interface RefreshTokenSourceOptions {
  source: string;
  /** The connection's name: the key of its tokens in the store (XERO_CONNECTION). */
  connection: string;
  store: TokenStore;
  /** Exchanges a refresh token at the provider's token endpoint. */
  refresh(refreshToken: string, context: Pick<CallContext, 'onCall'>): Promise<TokenSet>;
  /** Used only while the store holds no refresh token for the connection. */
  seedRefreshToken?: string;
  /** What an operator runs to reconnect (named in errors). */
  reconnectCommand: string;
  /** The clock tokens expire by (epoch ms); tests share one with the sandbox. */
  now?: () => number;
  /** Real-time waits (for another replica's refresh, between write attempts). */
  sleep?: (ms: number) => Promise<void>;
  /** How long the refresh lock is held at most (a replica that dies holding it frees it then). */
  leaseMs?: number;
  /** How often a replica waiting for another's refresh looks at the store again. */
  waitPollMs?: number;
  /** Back-off after a failed refresh (network, 5xx): from `baseMs`, doubling, up to `maxMs`. */
  failureBackoff?: { baseMs: number; maxMs: number };
  /** How often the store is read again while a reconnect is required (to notice `npm run connect`). */
  reconnectPollMs?: number;
  /** How long before a refused refresh token is tried once more (doubling, up to a day): a refusal is rarely wrong. */
  reconnectRetryMs?: number;
  /** Told of every change of the connection's state (the gateway logs it once and sets the gauge). */
  onStateChange?(state: ConnectionState): void;
}

export interface RefreshTokenSource extends TokenSource {
  state(): ConnectionState;
  /** Stops the timers. */
  close(): void;
}

interface Held {
  token: string;
  expiresAt: number;
  lifetimeMs: number;
}

/** Renew when less than a tenth of the lifetime, or 60 s, remains (whichever is less). */
export const renewalMarginMs = (lifetimeMs: number) => Math.min(lifetimeMs / 10, 60_000);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/** Creates the token source of one source over a connection's rotating refresh token. */
export function createRefreshTokenSource(options: RefreshTokenSourceOptions): RefreshTokenSource {
  const { source, connection, store } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const leaseMs = options.leaseMs ?? 20_000;
  const waitPollMs = options.waitPollMs ?? 100;
  const backoff = options.failureBackoff ?? { baseMs: 1_000, maxMs: 60_000 };
  const reconnectPollMs = options.reconnectPollMs ?? 5_000;
  const reconnectRetryMs = options.reconnectRetryMs ?? 3_600_000;

  let held: Held | undefined;
  /** The access token the provider answered 401 to: never adopted again. */
  let rejected: string | undefined;
  let pending: Promise<string> | undefined;
  /** The last failed refresh (network, 5xx) and when the next may be tried. */
  let failure: { error: AdapterError; attempts: number; retryAt: number } | undefined;
  /** While a reconnect is required: the refresh token that was refused, and when the store or the token is next tried. */
  let reconnect: { refusedToken?: string; checkAt: number; retryAt: number; attempts: number } | undefined;
  /** A refreshed pair the store could not take yet: its refresh token is the chain's newest. */
  let unsaved: ConnectionTokens | undefined;
  let flushing: NodeJS.Timeout | undefined;
  let watching: NodeJS.Timeout | undefined;
  let state: ConnectionState = { status: 'up', connection, since: now() };

  const setState = (status: ConnectionState['status'], reason?: string) => {
    if (state.status === status) return;
    state = { status, connection, since: now(), ...(reason && { reason }) };
    options.onStateChange?.(state);
  };

  const reconnectError = () =>
    new AdapterError(
      'UPSTREAM_UNAUTHORIZED',
      `${source}: the connection "${connection}" can no longer be renewed (${state.reason ?? 'its refresh token was refused'}); reconnect it with ${options.reconnectCommand}`,
      { source, retryable: false, reconnect: true },
    );
  const storeUnavailable = (cause: unknown) =>
    new AdapterError('UPSTREAM_UNAVAILABLE', `${source}: the token store is unreachable, so the connection's access token cannot be renewed safely`, {
      source,
      retryable: false,
      cause,
    });

  const usable = (tokens: ConnectionTokens | undefined): tokens is ConnectionTokens & { accessToken: string; accessTokenExpiresAt: number } =>
    tokens?.accessToken !== undefined &&
    tokens.accessTokenExpiresAt !== undefined &&
    tokens.reconnectRequiredSince === undefined &&
    tokens.accessToken !== rejected &&
    now() < tokens.accessTokenExpiresAt - renewalMarginMs(tokens.accessTokenLifetimeMs ?? 1_800_000);

  const adopt = (tokens: ConnectionTokens & { accessToken: string; accessTokenExpiresAt: number }): string => {
    held = { token: tokens.accessToken, expiresAt: tokens.accessTokenExpiresAt, lifetimeMs: tokens.accessTokenLifetimeMs ?? 1_800_000 };
    failure = undefined;
    leaveReconnect();
    return held.token;
  };

  /** The held token while it has not expired at all (not merely entered its renewal margin). */
  const stillValid = (): string | undefined => (held && held.token !== rejected && now() < held.expiresAt ? held.token : undefined);

  const read = async (): Promise<ConnectionTokens | undefined> => {
    try {
      return await store.read(connection);
    } catch (error) {
      if (error instanceof TokenStoreKeyError) {
        throw new AdapterError('UPSTREAM_UNAUTHORIZED', `${source}: the stored tokens of "${connection}" cannot be opened with GATEWAY_TOKEN_KEY`, {
          source,
          retryable: false,
          cause: error,
        });
      }
      throw storeUnavailable(error);
    }
  };

  const enterReconnect = (refusedToken: string | undefined, reason: string) => {
    const attempts = reconnect?.refusedToken === refusedToken && reconnect ? reconnect.attempts + 1 : 0;
    reconnect = {
      refusedToken,
      checkAt: now() + reconnectPollMs,
      retryAt: now() + Math.min(reconnectRetryMs * 2 ** attempts, 86_400_000),
      attempts,
    };
    held = undefined;
    setState('reconnect-required', reason);
    watchStore();
  };
  function leaveReconnect() {
    if (!reconnect) return;
    reconnect = undefined;
    clearInterval(watching);
    watching = undefined;
    setState('up');
  }

  /** True when the store holds tokens other than the refused ones (a new consent, or another replica's luck). */
  const replaced = (tokens: ConnectionTokens | undefined) =>
    tokens !== undefined && tokens.reconnectRequiredSince === undefined && tokens.refreshToken !== undefined && tokens.refreshToken !== reconnect?.refusedToken;

  /** While a reconnect is required, looks at the store now and then even without traffic, so /ready and the gauge recover. */
  function watchStore() {
    if (watching) return;
    watching = setInterval(() => {
      read()
        .then((tokens) => {
          if (reconnect && replaced(tokens)) {
            reconnect.retryAt = now();
            if (usable(tokens)) adopt(tokens);
            else leaveReconnect();
          }
        })
        .catch(() => undefined);
    }, reconnectPollMs);
    watching.unref?.();
  }

  /** Stores a refreshed pair, a few attempts at once; if the store stays away, keeps it and retries in the background. */
  const persist = async (tokens: ConnectionTokens) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await store.write(connection, tokens);
        unsaved = undefined;
        return;
      } catch {
        if (attempt < 2) {
          await sleep(100 * 2 ** attempt);
          continue;
        }
        unsaved = tokens;
        scheduleFlush();
        return;
      }
    }
  };
  function scheduleFlush() {
    if (flushing) return;
    flushing = setTimeout(() => {
      flushing = undefined;
      const tokens = unsaved;
      if (!tokens) return;
      store.write(connection, tokens).then(
        () => {
          if (unsaved === tokens) unsaved = undefined;
        },
        () => scheduleFlush(),
      );
    }, 2_000);
    flushing.unref?.();
  }

  const noteFailure = (error: AdapterError) => {
    const attempts = (failure?.attempts ?? 0) + 1;
    const wait = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempts - 1));
    failure = { error, attempts, retryAt: now() + wait };
  };
  /** The failure answered while backing off: not worth an immediate retry. */
  const backingOff = (error: AdapterError) =>
    new AdapterError(error.code, error.message, { source, status: error.status, retryable: false, cause: error });

  /** Under the lock: refreshes unless someone already did, and stores the result before answering it. */
  const refreshLocked = async (onCall: CallContext['onCall']): Promise<string> => {
    const stored = await read();
    if (usable(stored)) return adopt(stored);
    if (reconnect && !replaced(stored) && now() < reconnect.retryAt) throw reconnectError();
    if (!reconnect && stored?.reconnectRequiredSince !== undefined && !unsaved) {
      // Another replica (or an earlier run) saw this refresh token refused.
      enterReconnect(stored.refreshToken, 'its refresh token was refused: revoked or expired');
      throw reconnectError();
    }
    const refreshToken = unsaved?.refreshToken ?? stored?.refreshToken ?? options.seedRefreshToken;
    if (!refreshToken) {
      enterReconnect(undefined, 'it was never connected: no refresh token is stored and none is configured');
      throw reconnectError();
    }
    let answer: TokenSet;
    try {
      answer = await options.refresh(refreshToken, { onCall });
    } catch (error) {
      if (error instanceof InvalidGrantError) {
        const at = now();
        const marked: ConnectionTokens = { refreshToken, updatedAt: at, reconnectRequiredSince: at, writtenBy: 'invalid-grant' };
        await store.write(connection, marked).catch(() => undefined);
        unsaved = undefined;
        enterReconnect(refreshToken, 'its refresh token was refused: revoked or expired');
        throw reconnectError();
      }
      const mapped = error instanceof AdapterError ? error : new AdapterError('UPSTREAM_UNAVAILABLE', `${source}'s token endpoint failed`, { source, cause: error });
      noteFailure(mapped);
      const valid = stillValid();
      if (valid) return valid;
      throw mapped;
    }
    const at = now();
    const tokens: ConnectionTokens = {
      refreshToken: answer.refreshToken ?? refreshToken,
      accessToken: answer.accessToken,
      accessTokenExpiresAt: at + answer.expiresInSeconds * 1000,
      accessTokenLifetimeMs: answer.expiresInSeconds * 1000,
      updatedAt: at,
      writtenBy: 'refresh',
    };
    await persist(tokens);
    return adopt(tokens as ConnectionTokens & { accessToken: string; accessTokenExpiresAt: number });
  };

  const renew = async (onCall: CallContext['onCall']): Promise<string> => {
    if (reconnect && now() < reconnect.checkAt && now() < reconnect.retryAt) throw reconnectError();
    if (reconnect) reconnect.checkAt = now() + reconnectPollMs;
    if (failure && now() < failure.retryAt) {
      const valid = stillValid();
      if (valid) return valid;
      throw backingOff(failure.error);
    }
    let stored: ConnectionTokens | undefined;
    try {
      stored = await read();
    } catch (error) {
      const valid = stillValid();
      if (valid) return valid;
      throw error;
    }
    if (usable(stored) && !unsaved) return adopt(stored);
    if (reconnect && !replaced(stored) && now() < reconnect.retryAt) throw reconnectError();

    const waitUntil = performance.now() + 2 * leaseMs;
    for (;;) {
      let lock;
      try {
        lock = await store.tryLock(connection, leaseMs);
      } catch (error) {
        const valid = stillValid();
        if (valid) return valid;
        throw storeUnavailable(error);
      }
      if (lock) {
        try {
          return await refreshLocked(onCall);
        } finally {
          await lock.release().catch(() => undefined);
        }
      }
      // Another replica (or another source of this connection) is refreshing: wait for its result.
      await sleep(waitPollMs);
      const after = await read();
      if (usable(after)) return adopt(after);
      if (after?.reconnectRequiredSince !== undefined && after.refreshToken !== undefined) {
        enterReconnect(after.refreshToken, 'its refresh token was refused: revoked or expired');
        throw reconnectError();
      }
      if (performance.now() > waitUntil) {
        const valid = stillValid();
        if (valid) return valid;
        throw new AdapterError('UPSTREAM_UNAVAILABLE', `${source}: another replica holds the connection's refresh and has not finished`, { source });
      }
    }
  };

  return {
    token(context = {}) {
      if (held && held.token !== rejected && now() < held.expiresAt - renewalMarginMs(held.lifetimeMs)) return Promise.resolve(held.token);
      const shared = (pending ??= renew(context.onCall).finally(() => {
        pending = undefined;
      }));
      return untilAborted(source, shared, context.signal);
    },
    invalidate(token) {
      if (!held || held.token !== token) return;
      // A token refused right after it was issued is not an expired one: another refresh would not help.
      const age = now() - (held.expiresAt - held.lifetimeMs);
      if (age < Math.min(10_000, held.lifetimeMs / 2)) return;
      rejected = token;
      held = undefined;
    },
    state: () => state,
    close() {
      clearInterval(watching);
      clearTimeout(flushing);
    },
  };
}
