import { z } from 'zod';
import { api, type Endpoint } from '../../contracts/api';
import { apiErrorSchema } from '../../contracts/common';

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const fileTypes = {
  csv: 'text/csv',
  pdf: 'application/pdf',
  ics: 'text/calendar',
  'event-stream': 'text/event-stream',
} as const;

/** OpenAPI 3 document generated from the contract catalogue, so it cannot drift from what is served. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', e.params],
      ['query', e.query],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [key, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name: key,
          in: where,
          required: where === 'path' || !!json.required?.includes(key),
          schema: prop,
        });
      }
    }
    paths[path] ??= {};
    paths[path][e.method.toLowerCase()] = {
      operationId: name,
      summary: e.summary,
      'x-access': e.access,
      ...(parameters.length && { parameters }),
      ...(e.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: toSchema(e.body, 'input') } },
        },
      }),
      responses: {
        '200':
          typeof e.response === 'string'
            ? {
                description: e.response === 'event-stream' ? 'server-sent events' : `${e.response} file`,
                content: { [fileTypes[e.response]]: { schema: { type: 'string', format: 'binary' } } },
              }
            : {
                description: 'OK',
                content: { 'application/json': { schema: toSchema(e.response, 'output') } },
              },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: toSchema(apiErrorSchema, 'output') } },
        },
      },
      ...(e.access !== 'public' && {
        security: [{ launchCookie: [], ...(e.access !== 'launch' && { sessionCookie: [] }) }],
      }),
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Tessera workstation API', version },
    components: {
      securitySchemes: {
        launchCookie: { type: 'apiKey', in: 'cookie', name: 'tessera_launch' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'tessera_session' },
      },
    },
    paths,
  };
}
