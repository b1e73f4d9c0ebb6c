import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorCatalogue, type FieldIssue } from '../shared/errors.js';

interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: FieldIssue[] };
}

export function errorBody(code: ErrorCode, message: string, requestId: string, fields?: FieldIssue[]): ErrorBody {
  return { error: { code, message, requestId, ...(fields?.length ? { fields } : {}) } };
}

const fastifyCodes: Partial<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

/** Turns any error into the one error shape; unknown errors become a plain 500 with no internals. */
export function toErrorResponse(err: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  const requestId = String(request.id);
  if (err instanceof AppError) {
    return { status: err.status, body: errorBody(err.code, err.message, requestId, err.fields) };
  }
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const where = fe.validationContext ?? 'body';
    const fields = fe.validation.map((v) => {
      const p = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const keys = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: string[] }).keys : undefined;
      if (keys?.length) {
        return keys.map((k) => ({ path: [where, p, k].filter(Boolean).join('.'), message: 'unknown field' }));
      }
      return [{ path: [where, p].filter(Boolean).join('.'), message: v.message ?? 'is invalid' }];
    });
    const flat = fields.flat();
    return {
      status: 400,
      body: errorBody(
        'VALIDATION_FAILED',
        `Invalid ${where}: ${flat.map((f) => `${f.path} ${f.message}`).join('; ')}`,
        requestId,
        flat,
      ),
    };
  }
  const mapped = fe?.code ? fastifyCodes[fe.code] : undefined;
  if (mapped) {
    const message = mapped === 'INVALID_JSON' ? `Malformed JSON body: ${fe.message}` : fe.message;
    return { status: errorCatalogue[mapped], body: errorBody(mapped, message, requestId) };
  }
  if (fe?.statusCode === 429) {
    return { status: 429, body: errorBody('RATE_LIMITED', 'Too many requests; try again later', requestId) };
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode =
      fe.statusCode === 404 ? 'NOT_FOUND' : fe.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
    return { status: fe.statusCode, body: errorBody(code, fe.message, requestId) };
  }
  return { status: 500, body: errorBody('INTERNAL', 'Something went wrong on our side', requestId) };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorResponse(err, request);
  if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: body.error.code }, body.error.message);
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
