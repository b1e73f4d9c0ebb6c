/**
 * What a second `npm start` on a database that already holds the demo tells its user: the demo
 * logins, and how to get an API key (the keys were shown once, when the demo was loaded, and are
 * kept only as hashes).
 */
import { findUserByEmail, findWorkspaceByName } from '../accounts/repository.js';
import type { Db } from '../db/database.js';
import { DEMO_PASSWORD, demoBrands } from './world.js';

/** The reminder, or undefined when the database does not hold the demo's brands. */
export async function demoReminder(db: Db, publicUrl: string): Promise<string | undefined> {
  const brands: { name: string; id: string; logins: string[] }[] = [];
  for (const brand of demoBrands) {
    const workspace = await findWorkspaceByName(db, brand.workspaceName);
    if (!workspace) continue;
    const logins: string[] = [];
    for (const [role, person] of [
      ['owner', brand.owner],
      ['manager', brand.manager],
      ['viewer', brand.viewer],
    ] as const) {
      if (await findUserByEmail(db, person.email)) logins.push(`  ${role.padEnd(7)} ${person.email}`);
    }
    brands.push({ name: brand.workspaceName, id: workspace.id, logins });
  }
  const first = brands[0];
  if (!first) return undefined;
  const owner = demoBrands.find((b) => b.workspaceName === first.name)?.owner.email;
  return [
    'The demo is already loaded.',
    '',
    `Every demo account's password: ${DEMO_PASSWORD} (unless it was changed since)`,
    '',
    ...brands.flatMap((b) => [`${b.name} (${b.id})`, ...b.logins, '']),
    'Log in for a session token:',
    `  curl -s ${publicUrl}/api/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${owner}","password":"${DEMO_PASSWORD}"}'`,
    'The API keys were shown once, when the demo was loaded. Make a new one with the token:',
    `  curl -s ${publicUrl}/api/v1/api-keys -H "authorization: Bearer $TOKEN" \\`,
    `    -H 'content-type: application/json' -d '{"name":"Shop backend","role":"manager"}'`,
    'or from the command line:',
    `  npx kumppani apikey create --workspace "${first.name}"`,
    `API reference: ${publicUrl}/docs`,
  ].join('\n');
}
