import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import { createProductBody, listProductsQuery, productSchema, updateProductBody } from './schemas.js';
import type { ProductsService } from './service.js';

export const productRoutes: FastifyPluginAsyncZod<{ products: ProductsService }> = async (app, { products }) => {
  app.post(
    '/api/v1/programs/:id/products',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['products'],
        summary: 'Add an affiliate product to a program',
        params: idParams,
        body: createProductBody,
        response: { 201: productSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const product = await products.create(workspaceScope(request.principal), request.params.id, request.body);
      return reply.status(201).send(product);
    },
  );

  app.get(
    '/api/v1/programs/:id/products',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['products'],
        summary: "List a program's products",
        params: idParams,
        querystring: listProductsQuery,
        response: { 200: listOf(productSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await products.list(workspaceScope(request.principal), request.params.id, {
        limit: limit + 1,
        before: decodeCursor(cursor),
        status,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/products/:id',
    {
      config: { access: 'viewer', resource: 'product' },
      schema: {
        tags: ['products'],
        summary: 'Read a product',
        params: idParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => products.get(workspaceScope(request.principal), request.params.id),
  );

  app.patch(
    '/api/v1/products/:id',
    {
      config: { access: 'manager', resource: 'product' },
      schema: {
        tags: ['products'],
        summary: 'Change a product',
        params: idParams,
        body: updateProductBody,
        response: { 200: productSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request) => products.update(workspaceScope(request.principal), request.params.id, request.body),
  );

  app.post(
    '/api/v1/products/:id/archive',
    {
      config: { access: 'manager', resource: 'product' },
      schema: {
        tags: ['products'],
        summary: 'Archive a product',
        params: idParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => products.setArchived(workspaceScope(request.principal), request.params.id, true),
  );

  app.post(
    '/api/v1/products/:id/restore',
    {
      config: { access: 'manager', resource: 'product' },
      schema: {
        tags: ['products'],
        summary: 'Restore an archived product',
        params: idParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => products.setArchived(workspaceScope(request.principal), request.params.id, false),
  );
};
