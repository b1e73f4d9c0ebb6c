import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { CreatorsTable, SocialAccountsTable } from '../db/schema.js';

export type Platform = 'tiktok' | 'instagram' | 'youtube';

export interface Creator {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  country: string | null;
  createdAt: string;
}

export interface SocialAccount {
  id: string;
  creatorId: string;
  platform: Platform;
  handle: string;
  followers: number;
  avgViews: number;
  /** Engagement rate in basis points: 450 = 4.5 % of views engage. */
  engagementBps: number;
  postsPerWeek: number;
}

export function toCreator(row: Selectable<CreatorsTable>): Creator {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    country: row.country,
    createdAt: row.created_at,
  };
}

export function toSocialAccount(row: Selectable<SocialAccountsTable>): SocialAccount {
  return {
    id: row.id,
    creatorId: row.creator_id,
    platform: row.platform,
    handle: row.handle,
    followers: row.followers,
    avgViews: row.avg_views,
    engagementBps: row.engagement_bps,
    postsPerWeek: row.posts_per_week_tenths / 10,
  };
}

export async function insertCreator(db: DbOrTx, c: Creator): Promise<Creator> {
  await db
    .insertInto('creators')
    .values({ id: c.id, user_id: c.userId, name: c.name, email: c.email, country: c.country, created_at: c.createdAt })
    .execute();
  return c;
}

export async function findCreatorById(db: DbOrTx, id: string) {
  const row = await db.selectFrom('creators').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCreator(row) : undefined;
}

export async function findCreatorByUser(db: DbOrTx, userId: string) {
  const row = await db.selectFrom('creators').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? toCreator(row) : undefined;
}

export async function findCreatorByEmail(db: DbOrTx, email: string) {
  const row = await db.selectFrom('creators').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? toCreator(row) : undefined;
}

/** An invited creator's record claimed at signup: its name becomes the one the person chose. */
export async function linkCreatorToUser(db: DbOrTx, creatorId: string, userId: string, name: string): Promise<void> {
  await db.updateTable('creators').set({ user_id: userId, name }).where('id', '=', creatorId).execute();
}

export async function insertSocialAccount(db: DbOrTx, a: SocialAccount & { createdAt: string }): Promise<void> {
  await db
    .insertInto('social_accounts')
    .values({
      id: a.id,
      creator_id: a.creatorId,
      platform: a.platform,
      handle: a.handle,
      followers: a.followers,
      avg_views: a.avgViews,
      engagement_bps: a.engagementBps,
      posts_per_week_tenths: Math.round(a.postsPerWeek * 10),
      created_at: a.createdAt,
    })
    .execute();
}
