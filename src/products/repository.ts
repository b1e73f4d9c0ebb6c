import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { ProductsTable } from '../db/schema.js';
import { rateFromColumns, rateToColumns } from '../programs/repository.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Product } from './schemas.js';

type Row = Selectable<ProductsTable>;

export function toProduct(row: Row & { currency: string }): Product {
  return {
    id: row.id,
    programId: row.program_id,
    externalId: row.external_id,
    name: row.name,
    url: row.url,
    price: row.price_amount,
    currency: row.currency,
    rate: row.rate_type && row.rate_value !== null ? rateFromColumns(row.rate_type, row.rate_value) : null,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  };
}

function toRow(workspaceId: string, p: Product): Row {
  const rate = p.rate ? rateToColumns(p.rate) : null;
  return {
    id: p.id,
    workspace_id: workspaceId,
    program_id: p.programId,
    external_id: p.externalId,
    name: p.name,
    url: p.url,
    price_amount: p.price,
    rate_type: rate?.type ?? null,
    rate_value: rate?.value ?? null,
    status: p.status,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    archived_at: p.archivedAt,
  };
}

function selectProducts(db: DbOrTx, scope: WorkspaceScope) {
  return db
    .selectFrom('products')
    .innerJoin('programs', 'programs.id', 'products.program_id')
    .selectAll('products')
    .select('programs.currency')
    .where('products.workspace_id', '=', scope.workspaceId);
}

/** Inserts a product unless the program has one with its externalId; false when it has. */
export async function insertProductIfNew(db: DbOrTx, scope: WorkspaceScope, product: Product): Promise<boolean> {
  const res = await db
    .insertInto('products')
    .values(toRow(scope.workspaceId, product))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findProduct(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<Product | undefined> {
  const row = await selectProducts(db, scope).where('products.id', '=', id).executeTakeFirst();
  return row ? toProduct(row) : undefined;
}

export async function findProductByExternalId(
  db: DbOrTx,
  scope: WorkspaceScope,
  programId: string,
  externalId: string,
) {
  const row = await selectProducts(db, scope)
    .where('products.program_id', '=', programId)
    .where('products.external_id', '=', externalId)
    .executeTakeFirst();
  return row ? toProduct(row) : undefined;
}

export async function productExists(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('products')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listProducts(
  db: DbOrTx,
  scope: WorkspaceScope,
  programId: string,
  opts: { limit: number; before?: string | undefined; status: 'active' | 'archived' | 'all' },
): Promise<Product[]> {
  let q = selectProducts(db, scope)
    .where('products.program_id', '=', programId)
    .orderBy('products.id', 'desc')
    .limit(opts.limit);
  if (opts.before) q = q.where('products.id', '<', opts.before);
  if (opts.status !== 'all') q = q.where('products.status', '=', opts.status);
  return (await q.execute()).map(toProduct);
}

export async function saveProduct(db: DbOrTx, scope: WorkspaceScope, product: Product): Promise<Product> {
  const { id, workspace_id, created_at, program_id, ...rest } = toRow(scope.workspaceId, product);
  await db.updateTable('products').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).execute();
  return product;
}
