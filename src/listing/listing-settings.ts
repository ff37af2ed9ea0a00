// Per-gateway listing settings (the cursor key and the call budgets), looked up by the gateway's source registry so that
// several gateways in one process (tests) keep their own.
import { createCursorCodec, type CursorCodec } from './cursor.js';

export interface ListingOptions {
  /** GATEWAY_CURSOR_SECRET: the HMAC key of cursors; a built-in key when unset (see cursor.ts). */
  cursorSecret?: string;
  /** Calls one source may take for one page when the gateway filters its answers (default 5). */
  maxCallsPerSource?: number;
}

export interface ListingSettings {
  codec: CursorCodec;
  maxCallsPerSource: number;
}

const settingsByRegistry = new WeakMap<object, ListingSettings>();

/** Sets the listing settings of the gateway whose registry is `registry`. */
export function configureListing(registry: object, options: ListingOptions = {}): void {
  settingsByRegistry.set(registry, {
    codec: createCursorCodec(options.cursorSecret),
    maxCallsPerSource: options.maxCallsPerSource ?? 5,
  });
}

/** The listing settings of the gateway whose registry is `registry` (the defaults when none were set). */
export function listingSettingsOf(registry: object): ListingSettings {
  let settings = settingsByRegistry.get(registry);
  if (!settings) {
    configureListing(registry);
    settings = settingsByRegistry.get(registry)!;
  }
  return settings;
}
