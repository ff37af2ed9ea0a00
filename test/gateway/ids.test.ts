import { describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../src/ids.js';

const known = new Set(['fragment', 'xero-nz']);

describe('global ids', () => {
  it('round-trip, with colons and slashes allowed in the remote id', () => {
    expect(parseGlobalId(toGlobalId('xero-nz', 'Payment', 'a:b/c'), known)).toEqual({ source: 'xero-nz', type: 'Payment', remoteId: 'a:b/c' });
  });

  it.each([
    ['no colons', 'inv_123'],
    ['one colon', 'fragment:inv_123'],
    ['empty remote id', 'fragment:Invoice:'],
    ['unknown type', 'fragment:Widget:1'],
    ['unknown source', 'stripe:Invoice:in_1'],
    ['upper-case source', 'Fragment:Invoice:inv_1'],
    ['white space', 'fragment:Invoice:inv 1'],
  ])('refuse %s with BAD_USER_INPUT', (_label, id) => {
    expect(() => parseGlobalId(id, known)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it('refuse an id of another type when one is expected', () => {
    expect(() => parseGlobalId('fragment:Payment:p', known, 'Invoice')).toThrow(/not a Invoice id|is a Payment id/);
  });
});
