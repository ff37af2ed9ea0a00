// Where a connection's tokens are kept, as token sources see it. The gateway implements it (src/state: a file or Redis,
// encrypted at rest); an adapter only asks its token source for an access token and never learns where tokens live.
// Tokens are keyed by connection (one consent, one refresh-token chain), never by source: two sources of one consent
// that refreshed separately would rotate each other out.

/** One connection's tokens: the newest refresh token of its chain and the newest access token. */
export interface ConnectionTokens {
  refreshToken?: string;
  accessToken?: string;
  /** Epoch ms at which the access token expires. */
  accessTokenExpiresAt?: number;
  /** The access token's lifetime as issued (ms): it is renewed when a tenth of it (at most 60 s) remains. */
  accessTokenLifetimeMs?: number;
  /** Epoch ms since which the refresh token is known to be refused (invalid_grant): only a new consent helps. */
  reconnectRequiredSince?: number;
  /** Epoch ms of this write. */
  updatedAt: number;
  /** What wrote them: a refresh, the connect command, or a refused refresh. */
  writtenBy?: 'refresh' | 'connect' | 'invalid-grant';
}

/** A connection's refresh lock, held until released or until its lease runs out. */
export interface TokenLock {
  release(): Promise<void>;
}

export interface TokenStore {
  /** `memory`, `file` or `redis` (for logs and /ready). */
  readonly kind: string;
  /** The connection's tokens, or undefined when none were ever stored. */
  read(connection: string): Promise<ConnectionTokens | undefined>;
  /** Replaces the connection's tokens; resolves once they are durably stored. */
  write(connection: string, tokens: ConnectionTokens): Promise<void>;
  /**
   * Takes the connection's refresh lock (one refresh at a time across every replica) for `leaseMs`, or answers
   * undefined while someone else holds it.
   */
  tryLock(connection: string, leaseMs: number): Promise<TokenLock | undefined>;
  close?(): Promise<void>;
}

/** The store cannot be reached (Redis away): nothing is known of the tokens, and no refresh token may be rotated. */
export class TokenStoreUnavailableError extends Error {
  override name = 'TokenStoreUnavailableError';
}

/** Stored tokens that the configured key does not open (GATEWAY_TOKEN_KEY changed): never read as "no tokens". */
export class TokenStoreKeyError extends Error {
  override name = 'TokenStoreKeyError';
}

/** A connection as /ready and the `gateway_source_connection_up` gauge show it. */
export interface ConnectionState {
  /** `up` while its tokens can be renewed; `reconnect-required` once only a new consent (npm run connect) helps. */
  status: 'up' | 'reconnect-required';
  /** The connection's name (`XERO_CONNECTION`). */
  connection: string;
  /** Epoch ms since which the status holds. */
  since: number;
  /** Why a reconnect is required, in words written by us (never a token). */
  reason?: string;
}
