/**
 * What recording a conversion reads of other domains' tables, compiled once: the program, a
 * creator's name, the click to attribute to, the creators' enrollments and the sale's products.
 */
import type { Selectable } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { EnrollmentsTable, ProductsTable, ProgramsTable } from '../db/schema.js';

export const programById = prepared<{ id: string }, Selectable<ProgramsTable>>(['id'], (db, v) =>
  db.selectFrom('programs').selectAll().where('id', '=', v.id),
);

export const creatorName = prepared<{ id: string }, { name: string }>(['id'], (db, v) =>
  db.selectFrom('creators').select('name').where('id', '=', v.id),
);

export type ClickForAttribution = {
  id: string;
  at: string;
  link_id: string;
  creator_id: string;
  is_bot: number;
  visitor_hash: string;
  country: string;
  slug: string | null;
};

export const clickForAttribution = prepared<{ clickId: string; programId: string }, ClickForAttribution>(
  ['clickId', 'programId'],
  (db, v) =>
    db
      .selectFrom('clicks')
      .leftJoin('links', 'links.id', 'clicks.link_id')
      .select([
        'clicks.id',
        'clicks.at',
        'clicks.link_id',
        'clicks.creator_id',
        'clicks.is_bot',
        'clicks.visitor_hash',
        'clicks.country',
        'links.slug',
      ])
      .where('clicks.id', '=', v.clickId)
      .where('clicks.program_id', '=', v.programId),
);

export type EnrollmentRow = Selectable<EnrollmentsTable> & { creator_name: string };

/** The enrollments of up to three creators (a sale's candidates: by code, by click, as a returning customer). */
export const enrollmentsOfCreators = prepared<{ programId: string; c0: string; c1: string; c2: string }, EnrollmentRow>(
  ['programId', 'c0', 'c1', 'c2'],
  (db, v) =>
    db
      .selectFrom('enrollments')
      .innerJoin('creators', 'creators.id', 'enrollments.creator_id')
      .selectAll('enrollments')
      .select('creators.name as creator_name')
      .where('enrollments.program_id', '=', v.programId)
      .where('enrollments.creator_id', 'in', [v.c0, v.c1, v.c2]),
);

export type ProductRef = Pick<Selectable<ProductsTable>, 'id' | 'external_id' | 'name' | 'rate_type' | 'rate_value'>;

/** Products named by up to four references, each Kumppani's id or the shop's own. */
export const productsByRefs = prepared<
  { programId: string; r0: string; r1: string; r2: string; r3: string },
  ProductRef
>(['programId', 'r0', 'r1', 'r2', 'r3'], (db, v) => {
  const refs = [v.r0, v.r1, v.r2, v.r3];
  return db
    .selectFrom('products')
    .select(['id', 'external_id', 'name', 'rate_type', 'rate_value'])
    .where('program_id', '=', v.programId)
    .where((eb) => eb.or([eb('id', 'in', refs), eb('external_id', 'in', refs)]));
});

/**
 * Takes the order's lock on PostgreSQL: a transaction-scoped advisory lock per order id, so
 * deliveries that name the same order are taken one at a time.
 */
