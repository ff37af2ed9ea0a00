// Per-gateway listing settings (the cursor key and the call budgets), looked up by the gateway's source registry so that
// several gateways in one process (tests) keep their own; and the variable that sets the cursor key.
import { z } from 'zod';
import { settingsRoom, situational, type RoomValues } from '../settings-room.js';
import { createCursorCodec, type CursorCodec } from './cursor.js';

/** Calls one source may take for one page when the gateway filters its answers. */
export const DEFAULT_LISTING_CALLS_PER_SOURCE = 5;

export const LISTING_SETTINGS = settingsRoom({ title: 'Listing', guide: 'listing.md', source: import.meta.url }, {
  GATEWAY_CURSOR_SECRET: situational(
    z.string().min(16, 'GATEWAY_CURSOR_SECRET must be at least 16 characters').optional(),
    'The HMAC key `listInvoices` cursors are signed with (16 characters or more, the same on every replica). Unset, a built-in key anyone can read in the source signs them, so a client could forge a listing position within its grants; the start warns about it over real providers or with REDIS_URL.',
    'a built-in key',
  ),
});

/** The cursor key from validated variables. */
export function listingSettingsFrom(v: RoomValues<typeof LISTING_SETTINGS>): { cursorSecret?: string } {
  return { cursorSecret: v.GATEWAY_CURSOR_SECRET };
}

export interface ListingOptions {
  /** GATEWAY_CURSOR_SECRET: the HMAC key of cursors; a built-in key when unset (see cursor.ts). */
  cursorSecret?: string;
  /** Calls one source may take for one page when the gateway filters its answers (DEFAULT_LISTING_CALLS_PER_SOURCE). */
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
    maxCallsPerSource: options.maxCallsPerSource ?? DEFAULT_LISTING_CALLS_PER_SOURCE,
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
