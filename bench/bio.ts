import autocannon from 'autocannon';
import { stop } from './lib/process.js';
import {
  type BenchSection,
  benchCommand,
  describeMachine,
  goalMark,
  markdownTable,
  median,
  runContext,
  writeSection,
} from './lib/report.js';
import { api, seed } from './lib/seed.js';
import { benchDatabase, serve } from './lib/server.js';

/**
 * The link-in-bio page beside the redirect, on the same server in the same run: short rounds of
 * each in turn at 50 connections (autocannon, in this process), on SQLite. Latency is autocannon's
 * time to the whole answer; both answers are small (a 302 with no body, a page of a few KB), so
 * it stands for the time to first byte. The page has ten links, each with a coupon code.
 */
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL_P99_RATIO = 2;
const GOAL_BYTES = 15 * 1024;
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0 BytedanceWebview/d8a21c6';
const log = (line: string) => process.stderr.write(`[bench:bio] ${line}\n`);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
}

async function load(url: string, expected: string): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'user-agent': USER_AGENT, 'accept-language': 'fi-FI,fi;q=0.9' },
  });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  const ok = codes[expected]?.count ?? 0;
  const total = Object.values(codes).reduce((sum, c) => sum + (c?.count ?? 0), 0);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, ok, other: total - ok };
}

async function run(): Promise<BenchSection> {
  const db = await benchDatabase('SQLite', 'bio');
  const { server, base } = await serve(db);
  try {
    const s = await seed(base);
    const links = [];
    for (let i = 0; i < 10; i++) {
      links.push(
        await api(base, 'POST', '/api/v1/links', s.token, {
          programId: s.programId,
          destinationUrl: `${s.destination}&variant=${i}`,
        }),
      );
    }
    await api(base, 'PUT', '/api/v1/creators/me/bio', s.token, {
      handle: 'bench.creator',
      title: 'Bench Creator — running & recovery',
      bio: 'What I use on my runs, honestly. Codes below give you a discount.',
      avatarUrl: 'https://cdn.example.com/avatar.jpg',
      theme: { background: '#101820', text: '#f2f2f2', button: '#fee715', buttonText: '#101820' },
      links: links.map((l, i) => ({ linkId: l.id, label: `Product number ${i + 1} that I really use` })),
    });
    const page = await fetch(`${base}/@bench.creator`, { headers: { 'user-agent': USER_AGENT } });
    const bytes = Buffer.byteLength(await page.text());
    log(`page of ${bytes} bytes`);
    const bio: Load[] = [];
    const redirect: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      redirect.push(await load(`${base}/${s.slug}`, '302'));
      bio.push(await load(`${base}/@bench.creator`, '200'));
      const r = redirect.at(-1)!;
      const b = bio.at(-1)!;
      log(`round ${round + 1}: redirect p99 ${r.p99} ms, bio p99 ${b.p99} ms`);
    }
    const machine = describeMachine();
    const rP99 = median(redirect.map((l) => l.p99));
    const bP99 = median(bio.map((l) => l.p99));
    const ratios = bio.map((b, i) => b.p99 / (redirect[i]?.p99 || Number.NaN));
    const ratio = median(ratios);
    const table = markdownTable(
      ['', 'requests/s (median)', 'p50 / p99 (median)', 'p99 per round', 'other answers'],
      [
        [
          'redirect `GET /{slug}`',
          `${Math.round(median(redirect.map((l) => l.rps)))}`,
          `${median(redirect.map((l) => l.p50))} / ${rP99} ms`,
          redirect.map((l) => l.p99).join(', '),
          String(redirect.reduce((n, l) => n + l.other, 0)),
        ],
        [
          'bio page `GET /@{handle}`',
          `${Math.round(median(bio.map((l) => l.rps)))}`,
          `${median(bio.map((l) => l.p50))} / ${bP99} ms`,
          bio.map((l) => l.p99).join(', '),
          String(bio.reduce((n, l) => n + l.other, 0)),
        ],
      ],
    );
    const markdown = `${runContext(machine, benchCommand('npm run bench:bio'))}
- **How:** one \`kumppani serve\` on SQLite; ${ROUNDS} rounds of ${DURATION_S} s each, the redirect then the bio page, at ${CONNECTIONS} connections (autocannon). The page has ten links, each with its coupon code, an avatar, a theme and the in-app browser note (TikTok's user agent). Rendered pages are kept for 30 s per variant, so the rounds measure mostly served pages, as a bio page that is being visited is. The rounds are short and the machine is shared: read the ratio, not the absolute figures.

${table}

### Goals

- p99 of the bio page within ${GOAL_P99_RATIO}× the redirect's: **${ratio.toFixed(2)}×** (per round ${ratios.map((x) => x.toFixed(2)).join(', ')}) — ${goalMark(ratio <= GOAL_P99_RATIO)}
- page under 15 KB before images: **${bytes.toLocaleString('en')} bytes** — ${goalMark(bytes < GOAL_BYTES)}
`;
    return { id: 'bio', title: 'Link-in-bio page beside the redirect', markdown };
  } finally {
    await stop(server);
    await db.drop();
  }
}

const section = await run();
writeSection(section);
process.stdout.write(`${section.markdown}\n`);
