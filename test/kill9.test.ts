import { describe, expect, it } from 'vitest';
import { describeKill9, killUnderLoad } from '../bench/lib/kill9.js';
import { createEmptyDatabase, dialect } from './helpers/database.js';

/**
 * The built server (npm test builds it first) is killed with SIGKILL while visitors follow a
 * link; every click id a visitor received in a 302 must be in the database afterwards.
 */
describe('kill -9 under redirect load', () => {
  it.each([0, 25])(
    'loses no click whose redirect was answered (commits slowed by %i ms)',
    async (slowCommitMs) => {
      const database = dialect === 'postgres' ? await createEmptyDatabase() : undefined;
      try {
        const report = await killUnderLoad({
          databaseUrl: database?.config.dialect === 'postgres' ? database.config.url : undefined,
          loadMs: 1500,
          slowCommitMs,
        });
        process.stderr.write(`${describeKill9(report)}\n`);
        expect(report.answered).toBeGreaterThan(slowCommitMs ? 50 : 100);
        expect(report.lost).toBe(0);
        expect(report.clicksInDatabase).toBeGreaterThanOrEqual(report.answered);
      } finally {
        await database?.drop();
      }
    },
    60_000,
  );
});
