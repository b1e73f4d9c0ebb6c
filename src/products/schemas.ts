import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { rate } from '../programs/schemas.js';

const url = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

const productFields = {
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .meta({ description: "The product's id in the shop (Shopify product id, SKU…)" }),
  name: z.string().trim().min(1).max(300),
  url: url.nullable(),
  price: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .meta({ description: 'Price in minor units of the program currency' }),
  rate: rate.nullable().meta({ description: "The product's own commission rate, overriding the program default" }),
};

export const createProductBody = z
  .strictObject({
    ...productFields,
    url: productFields.url.optional(),
    price: productFields.price.optional(),
    rate: productFields.rate.optional(),
  })
  .meta({ id: 'CreateProduct' });

export const updateProductBody = z.strictObject(productFields).partial().meta({ id: 'UpdateProduct' });

export type CreateProductInput = z.infer<typeof createProductBody>;
export type UpdateProductInput = z.infer<typeof updateProductBody>;

export const productSchema = z
  .object({
    id: z.string(),
    programId: z.string(),
    externalId: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    price: z.number().int().nullable(),
    currency: z.string(),
    rate: rate.nullable(),
    status: z.enum(['active', 'archived']),
    createdAt: timestamp,
    updatedAt: timestamp,
    archivedAt: timestamp.nullable(),
  })
  .meta({ id: 'Product' });

export type Product = z.infer<typeof productSchema>;

export const listProductsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(['active', 'archived', 'all']).default('active'),
});
