import type { Db } from '../db/database.js';
import { nobodyToTell, type ProgramChanged } from '../programs/cache.js';
import type { Program } from '../programs/schemas.js';
import type { ProgramsService } from '../programs/service.js';
import type { Clock } from '../shared/clock.js';
import { hostAllowed } from '../shared/domains.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import * as repo from './repository.js';
import type { CreateProductInput, Product, UpdateProductInput } from './schemas.js';

/** A product page must be on one of the program's allowed domains, or links to it could not be made. */
function checkUrl(program: Program, url: string | null | undefined): void {
  if (!url) return;
  const host = new URL(url).hostname;
  if (!hostAllowed(host, program.allowedDomains)) {
    throw new AppError(
      'DESTINATION_NOT_ALLOWED',
      `${host} is not one of the program's allowed domains (${program.allowedDomains.join(', ')})`,
      [{ path: 'body.url', message: 'host not allowed' }],
    );
  }
}

export function productsService({
  db,
  clock,
  programs,
  onChange = nobodyToTell,
}: {
  db: Db;
  clock: Clock;
  programs: ProgramsService;
  onChange?: ProgramChanged | undefined;
}) {
  const changed = async (product: Product): Promise<Product> => {
    await onChange(product.programId);
    return product;
  };

  async function create(scope: WorkspaceScope, programId: string, input: CreateProductInput): Promise<Product> {
    const program = await programs.getActive(scope, programId);
    checkUrl(program, input.url);
    const now = clock.now();
    const product: Product = {
      id: newId('product', now.getTime()),
      programId,
      externalId: input.externalId,
      name: input.name,
      url: input.url ?? null,
      price: input.price ?? null,
      currency: program.currency,
      rate: input.rate ?? null,
      status: 'active',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      archivedAt: null,
    };
    if (!(await repo.insertProductIfNew(db, scope, product))) {
      throw new AppError('EXTERNAL_ID_TAKEN', `The program already has a product with externalId ${input.externalId}`);
    }
    return changed(product);
  }

  async function get(scope: WorkspaceScope, id: string): Promise<Product> {
    const product = await repo.findProduct(db, scope, id);
    if (!product) throw notFound('Product');
    return product;
  }

  async function list(scope: WorkspaceScope, programId: string, opts: Parameters<typeof repo.listProducts>[3]) {
    await programs.get(scope, programId);
    return repo.listProducts(db, scope, programId, opts);
  }

  async function update(scope: WorkspaceScope, id: string, patch: UpdateProductInput): Promise<Product> {
    const current = await get(scope, id);
    const program = await programs.getActive(scope, current.programId);
    checkUrl(program, patch.url);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: Product = { ...current, ...defined, updatedAt: clock.now().toISOString() };
    if (next.externalId !== current.externalId) {
      const other = await repo.findProductByExternalId(db, scope, current.programId, next.externalId);
      if (other && other.id !== current.id) {
        throw new AppError('EXTERNAL_ID_TAKEN', `The program already has a product with externalId ${next.externalId}`);
      }
    }
    return changed(await repo.saveProduct(db, scope, next));
  }

  async function setArchived(scope: WorkspaceScope, id: string, archived: boolean): Promise<Product> {
    const current = await get(scope, id);
    if ((current.status === 'archived') === archived) return current;
    const at = clock.now().toISOString();
    return changed(
      await repo.saveProduct(db, scope, {
        ...current,
        status: archived ? 'archived' : 'active',
        archivedAt: archived ? at : null,
        updatedAt: at,
      }),
    );
  }

  return { create, get, list, update, setArchived };
}

export type ProductsService = ReturnType<typeof productsService>;
