import { type Config, type ConfigFlags, loadConfig } from '../config/config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/database.js';

/** Configuration and an open, migrated database: what every command needs first. */
export async function openContext(
  flags: ConfigFlags,
  options: { migrate: boolean },
): Promise<{ config: Config; database: DatabaseHandle }> {
  const config = loadConfig(flags);
  const database = await openDatabase(config.database);
  if (options.migrate) {
    try {
      await migrateToLatest(database.db);
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return { config, database };
}
