import { describe, expect, it } from 'vitest';
import { describeKill9, killUnderLoadRepeatedly } from '../../bench/lib/kill9.js';
import { createEmptyDatabase, dialect } from '../helpers/database.js';

/**
 * The built server (npm test builds it first) is killed with SIGKILL while visitors follow a
 * link, then started again on the same database and killed again with every commit slowed, so
 * that many clicks wait for their commit at the kill. Every click id a visitor received in a 302
 * must be in the database afterwards, those of the first round too.
 */
describe('kill -9 under redirect load', () => {
  it('loses no click whose redirect was answered, across a kill, a restart and a kill', async () => {
    const database = dialect === 'postgres' ? await createEmptyDatabase() : undefined;
    try {
      const reports = await killUnderLoadRepeatedly(
        { databaseUrl: database?.config.dialect === 'postgres' ? database.config.url : undefined },
        [
          { loadMs: 1500, slowCommitMs: 0 },
          { loadMs: 1500, slowCommitMs: 25 },
        ],
      );
      for (const report of reports) process.stderr.write(`${describeKill9(report)}\n`);
      expect(reports).toHaveLength(2);
      for (const report of reports) {
        expect(report.answered, describeKill9(report)).toBeGreaterThan(report.slowCommitMs ? 50 : 100);
        expect(report.lost, describeKill9(report)).toBe(0);
        expect(report.lostEarlier, describeKill9(report)).toBe(0);
        expect(report.clicksInDatabase).toBeGreaterThanOrEqual(report.answered);
      }
    } finally {
      await database?.drop();
    }
  }, 60_000);
});
