import { it } from 'vitest';
import { listPage, startListingGateway } from './listing-support.js';
it('debug', async () => {
  const t = await startListingGateway();
  let after = null; 
  for (let i = 0; i < 12; i++) {
    const s = Date.now();
    const p = await listPage(t, { first: 7, after });
    console.log(i, Date.now() - s, p.ids.length, JSON.stringify(p.answer.extensions?.upstream), p.answer.errors?.[0]?.message);
    after = p.endCursor;
  }
  await t.close();
}, 60000);
