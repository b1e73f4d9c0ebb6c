import { codeKey } from '../codes/code.js';
import { insertCode } from '../codes/repository.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { DAY_MS } from '../shared/time.js';
import type { Random } from './random.js';
import { approvedEnrollments } from './repository.js';

/**
 * A personal coupon code for every approved demo creator: first name and discount, as creators
 * say them in their videos (KRISTA20, DANA15), made unique in the program when names repeat.
 * One leaked code has already been rotated, so the demo shows a replaced code too.
 */
export async function loadDemoCodes(deps: { db: Db; clock: Clock; rng: Random }): Promise<number> {
  const { db, clock, rng } = deps;
  const rows = (await approvedEnrollments(db)).map((e) => ({ ...e, name: e.creator_name }));
  const now = clock.now().getTime();
  const taken = new Set<string>();
  let count = 0;
  let rotated = false;
  for (const r of rows) {
    const first = (r.name.split(' ')[0] ?? 'CODE')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[^A-Z]/g, '');
    // The two creators the docs use keep the codes they are quoted with.
    const named = r.name === 'Krista Lehtonen' ? 20 : r.name === 'Dana Vaughan' ? 15 : undefined;
    const percent = named ?? rng.pick([10, 15, 15, 20, 20, 25]);
    let code = `${first}${percent}`;
    for (let n = 2; taken.has(`${r.program_id}|${codeKey(code)}`); n++) code = `${first}${percent}-${n}`;
    taken.add(`${r.program_id}|${codeKey(code)}`);
    const createdAt = new Date(now - rng.int(20, 60) * DAY_MS).toISOString();
    const base = {
      workspaceId: r.workspace_id,
      programId: r.program_id,
      creatorId: r.creator_id,
      contentId: null,
      discount: { type: 'percent' as const, bps: percent * 100 },
      status: 'active' as const,
      activeFrom: createdAt,
      activeUntil: null,
      replacedBy: null,
      createdAt,
      updatedAt: createdAt,
    };
    // Another creator's 20 % code was shared on a coupon site: it was replaced a week ago.
    if (!rotated && percent === 20 && named === undefined) {
      rotated = true;
      const replacedAt = new Date(now - 7 * DAY_MS).toISOString();
      const fresh = {
        ...base,
        id: newId('code', now - 7 * DAY_MS),
        code: `${first}-SPRING20`,
        activeFrom: replacedAt,
        createdAt: replacedAt,
        updatedAt: replacedAt,
      };
      taken.add(`${r.program_id}|${codeKey(fresh.code)}`);
      await insertCode(db, {
        ...base,
        id: newId('code', Date.parse(createdAt)),
        code,
        status: 'disabled',
        activeUntil: replacedAt,
        replacedBy: fresh.id,
        updatedAt: replacedAt,
      });
      await insertCode(db, fresh);
      count += 2;
      continue;
    }
    await insertCode(db, { ...base, id: newId('code', Date.parse(createdAt)), code });
    count += 1;
  }
  return count;
}
