import { ERROR_CODES, ErrorEnvelopeSchema, ROUTES, type RouteDef } from '@hi-msg/contracts';
import { z } from 'zod';

function schema(s: z.ZodType): unknown {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
}

/** A query schema's fields as OpenAPI query parameters (paging, filters). */
function queryParams(query: z.ZodType | undefined): { name: string; in: string; required: boolean; schema: unknown }[] {
  if (!query) return [];
  const json = schema(query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }));
}

/** OpenAPI 3.1 built from the contracts' route table and zod schemas: one source for both. */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(ROUTES) as [string, RouteDef][]) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } as unknown }));
    params.push(...queryParams(r.query));
    const op: Record<string, unknown> = {
      operationId: name,
      summary: r.summary,
      parameters: params,
      security: r.auth === 'none' ? [] : [{ bearer: [] }],
      responses: {
        [String(r.status ?? 200)]: r.response
          ? { description: 'OK', content: { 'application/json': { schema: schema(r.response) } } }
          : { description: 'OK' },
        default: { description: `Error; code is one of ${ERROR_CODES.join(', ')}`, content: { 'application/json': { schema: schema(ErrorEnvelopeSchema) } } },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schema(r.body) } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hi_Msg API', version: '0.1.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
