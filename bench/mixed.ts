/**
 * Redirects while the track API is saturated with sales, on SQLite: 50 connections send sales as
 * fast as the server takes them while 10 visitors follow a creator's link one after another, and
 * the check reports the sales per second, how many redirects came back without a click id (a
 * click that could not be stored), and the redirects' latency. Run it with the conversions
 * thread on and off: `npm run check:mixed`, or `KUMPPANI_CONVERSIONS_THREAD=off npm run check:mixed`.
 */
import autocannon from 'autocannon';
import { stop } from './lib/process.js';
import { benchDatabase, serve } from './lib/server.js';
import { world } from './track.js';

const db = await benchDatabase('SQLite', 'mixed');
const { server, base } = await serve(db, {
  ...process.env,
  KUMPPANI_TRUST_PROXY: 'true',
  KUMPPANI_AUTH_RATE_LIMIT: '100000',
});
const w = await world(base);
const link = (await (
  await fetch(`${base}/api/v1/links?programId=${w.programId}`, { headers: { authorization: `Bearer ${w.key}` } })
).json()) as { data?: { slug: string }[] };
const slug = link.data?.[0]?.slug;
if (!slug) throw new Error('the seeded link was not found');
let n = 0;
const sales = autocannon({
  url: base,
  connections: 50,
  duration: 10,
  requests: [
    {
      method: 'POST',
      path: '/api/v1/track/sale',
      headers: { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' },
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          programId: w.programId,
          orderId: `m-${++n}`,
          currency: 'EUR',
          couponCode: 'DANA15',
          lines: [{ productId: 'synergy-leggings', amount: 5100, quantity: 1 }],
        }),
      }),
    },
  ],
});
let noKclid = 0,
  redirects = 0;
const lat: number[] = [];
const end = Date.now() + 9000;
await new Promise((r) => setTimeout(r, 500));
async function visitor(v: number) {
  while (Date.now() < end) {
    const t = performance.now();
    const res = await fetch(`${base}/${slug}`, {
      redirect: 'manual',
      headers: {
        'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1',
        'x-forwarded-for': `10.${v}.${redirects & 255}.1`,
      },
    });
    await res.arrayBuffer();
    lat.push(performance.now() - t);
    redirects++;
    if (!(res.headers.get('location') ?? '').includes('kclid=')) noKclid++;
  }
}
await Promise.all(Array.from({ length: 10 }, (_, v) => visitor(v)));
const s = await sales;
lat.sort((a, b) => a - b);
console.log(
  `conversions thread ${process.env.KUMPPANI_CONVERSIONS_THREAD ?? 'auto'}: sales ${Math.round(s.requests.average)}/s non2xx ${s.non2xx}; redirects ${redirects}, without click id ${noKclid}; p50 ${lat[Math.floor(lat.length * 0.5)]?.toFixed(1)} p99 ${lat[Math.floor(lat.length * 0.99)]?.toFixed(1)} max ${lat[lat.length - 1]?.toFixed(1)} ms`,
);
await stop(server);
await db.drop();
