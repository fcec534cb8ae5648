import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api, type Endpoint, type EndpointName } from '../../../server/contracts/api';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';

/**
 * The property-based input sweep (issue 14): walk the endpoint catalogue and, for every endpoint with a
 * body, query or path parameters, derive a request from its zod contract, then mutate one field (or the
 * request itself) through wrong types, boundaries, far dates, nonexistent time zones, odd and invalid
 * Unicode, huge and deeply nested values, malformed percent-encoding and lying content encodings.
 * Proves: never a 5xx; a refused request changes nothing stored; the server stays responsive (a health
 * probe running beside the sweep is answered well within a second: a guard against one request blocking
 * everyone, not a benchmark); the audit chain verifies at the end.
 *
 * Fixed seed; TESSERA_SWEEP_RUNS sets how many requests (default keeps `npm test` short on 2 cores).
 */

const SEED = Number(process.env.TESSERA_SWEEP_SEED ?? 20261204);
const RUNS = Number(process.env.TESSERA_SWEEP_RUNS ?? 200);
const HEALTH_BOUND_MS = 1000;

/**
 * Endpoints the sweep leaves out, each for a reason: they end the sweeping session or count failed
 * sign-ins against the admin (lockout), open a stream that never ends, or reach out to a central server.
 */
const SKIPPED = new Set<EndpointName>([
  'logout',
  'login',
  'loginMfa',
  'loginMfaEnroll',
  'setupComplete',
  'changePassword',
  'mfaSetupConfirm',
  'syncEnroll',
  'syncJoin',
] as EndpointName[]);

// ------------------------------------------------------------------------------------- zod introspection

interface Def {
  type: string;
  format?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  element?: z.ZodType;
  valueType?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/nullable/pipe/refinement wrappers. */
function core(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type) && d.innerType) {
      s = d.innerType;
    } else if (d.type === 'pipe') {
      // z.preprocess(fn, schema) is pipe(transform, schema); schema.transform(fn) is pipe(schema, transform).
      s = defOf(d.in!).type === 'transform' ? d.out! : d.in!;
    } else if (d.type === 'lazy') {
      return s;
    } else {
      return s;
    }
  }
  return s;
}

const shapeOf = (s: z.ZodType | undefined): Record<string, z.ZodType> => {
  if (!s) return {};
  const c = core(s);
  const d = defOf(c);
  if (d.type === 'object') return d.shape ?? {};
  if (d.type === 'union' || d.type === 'discriminated_union') return shapeOf(d.options?.[0]);
  return {};
};

// ------------------------------------------------------------------------------------- a plausible request

let w: SchedulingWorld;
let patientId: string;
const someId = () => crypto.randomUUID();

/** Known-good ids by field name, so a request gets past lookups and mutations reach deeper code. */
const idsByName = (): Record<string, string> => ({
  patientId,
  providerId: w.drLee,
  locationId: w.locationId,
  appointmentTypeId: w.followUp,
  roomId: w.roomA,
  userId: w.clinicianUserId,
});

/** A value the field's contract accepts (best effort: a refused baseline still sweeps the mutations). */
function plausible(name: string, schema: z.ZodType, depth = 0): unknown {
  const c = core(schema);
  const d = defOf(c);
  switch (d.type) {
    case 'string':
      if (d.format === 'uuid' || d.format === 'guid') return idsByName()[name] ?? someId();
      if (d.format === 'date') return '2026-03-03';
      if (d.format === 'datetime') return '2026-03-03T15:00:00Z';
      if (/time$/i.test(name) || name === 'start' || name === 'end') return '09:30';
      if (/timeZone/i.test(name)) return 'America/Chicago';
      if (/colou?r/i.test(name)) return '#3a7bd5';
      if (/month/i.test(name)) return '2026-03';
      if (/reason/i.test(name)) return 'sweep reason text';
      return 'Sweep';
    case 'number':
      return /minutes/i.test(name) ? 30 : 1;
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    case 'array':
      return [];
    case 'object': {
      if (depth > 4) return {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d.shape ?? {})) out[k] = plausible(k, v, depth + 1);
      return out;
    }
    case 'union':
    case 'discriminated_union':
      return d.options?.length ? plausible(name, d.options[0]!, depth + 1) : null;
    case 'record':
      return {};
    default:
      return null;
  }
}

// ------------------------------------------------------------------------------------- mutations

const LONE_SURROGATE = '\uD800';
const deepArray = (n: number): unknown => (n === 0 ? 'x' : [deepArray(n - 1)]);

/** Values each field is put through. Strings carrying a lone surrogate are written into raw JSON. */
const fieldMutations: fc.Arbitrary<unknown> = fc.oneof(
  // wrong types
  fc.constantFrom(null, true, 0, -1, 1.5, [], {}, 'text', '', ' '),
  // boundaries
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    'NaN',
    'Infinity',
    '-0',
    'x'.repeat(10_001),
    '9'.repeat(400),
  ),
  // far dates and malformed instants
  fc.constantFrom(
    '9999-12-31',
    '0001-01-01',
    '0999-06-15',
    '1800-01-01',
    '0000-00-00',
    '2026-02-30',
    '9999-12-31T23:59:59Z',
    '0001-01-01T00:00:00Z',
    '1800-01-01T12:00:00+14:00',
    '+275760-09-13T00:00:00.000Z',
    '2026-03-08T02:30:00-06:00',
    '9999-12',
    '0000-01',
    '24:00',
    '23:60',
  ),
  // time zones that do not exist, or spelled oddly
  fc.constantFrom('Mars/Olympus_Mons', 'Etc/GMT+99', 'america/chicago', 'Factory', 'UTC/../../etc'),
  // odd and invalid Unicode
  fc.constantFrom(
    `a${LONE_SURROGATE}b`,
    '\uDC00',
    'e\u0301',
    '\u0000',
    '\u202Eevil',
    '\uFEFF',
    '🎉'.repeat(50),
    'Z\u0351\u0352\u0353\u0354'.repeat(20),
    '%E0%A4%A',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  // huge and deeply nested
  fc.constantFrom(deepArray(40), Array.from({ length: 5000 }, (_, i) => i), { a: { b: { c: { d: deepArray(20) } } } }),
  fc.integer(),
  fc.double(),
);

type RequestMutation =
  | { kind: 'field'; where: 'body' | 'query' | 'params'; field: string; value: unknown }
  | { kind: 'fields'; where: 'body' | 'query' | 'params'; fields: string[]; value: unknown }
  | { kind: 'drop'; where: 'body' | 'query'; field: string }
  | { kind: 'bad_percent' }
  | { kind: 'lying_encoding'; encoding: string }
  | { kind: 'bad_json'; text: string }
  | { kind: 'huge_body' }
  | { kind: 'whole_body'; value: unknown };

interface Target {
  name: EndpointName;
  endpoint: Endpoint;
  fields: { where: 'body' | 'query' | 'params'; field: string; kind: FieldKind }[];
}

type FieldKind = 'date' | 'datetime' | 'month' | 'text' | 'other';
function fieldKind(name: string, schema: z.ZodType): FieldKind {
  const d = defOf(core(schema));
  if (d.type !== 'string') return 'other';
  if (d.format === 'date') return 'date';
  if (d.format === 'datetime') return 'datetime';
  if (/month/i.test(name)) return 'month';
  return d.format ? 'other' : 'text';
}

/** Far values in each date shape: every date field of every endpoint gets each of them. */
const FAR: Record<'date' | 'datetime' | 'month', string[]> = {
  date: ['9999-12-31', '0999-06-15', '1800-01-01'],
  datetime: ['9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '1800-01-01T12:00:00+14:00'],
  month: ['9999-12', '0000-01', '1800-01'],
};

const targets: Target[] = (Object.entries(api) as [EndpointName, Endpoint][])
  .filter(([name, e]) => !SKIPPED.has(name) && e.response !== 'event-stream' && (e.body || e.query || e.params))
  .map(([name, endpoint]) => ({
    name,
    endpoint,
    fields: (['body', 'query', 'params'] as const).flatMap((where) =>
      Object.entries(shapeOf(endpoint[where])).map(([field, schema]) => ({
        where,
        field,
        kind: fieldKind(field, schema),
      })),
    ),
  }));

const byName = new Map(targets.map((t) => [t.name, t]));

const mutationFor = (t: Target): fc.Arbitrary<RequestMutation> => {
  const options: fc.Arbitrary<RequestMutation>[] = [];
  if (t.fields.length) {
    const field = fc.constantFrom(...t.fields);
    options.push(
      fc.record({ f: field, value: fieldMutations }).map(({ f, value }) => ({ kind: 'field' as const, where: f.where, field: f.field, value })),
      fc.record({ f: field, value: fieldMutations }).map(({ f, value }) => ({ kind: 'field' as const, where: f.where, field: f.field, value })),
      fc.record({ f: field, value: fieldMutations }).map(({ f, value }) => ({ kind: 'field' as const, where: f.where, field: f.field, value })),
    );
    const droppable = t.fields.filter((f) => f.where !== 'params');
    if (droppable.length) {
      options.push(
        fc.constantFrom(...droppable).map((f) => ({ kind: 'drop' as const, where: f.where as 'body' | 'query', field: f.field })),
      );
    }
  }
  if (t.endpoint.params) options.push(fc.constant({ kind: 'bad_percent' as const }));
  if (t.endpoint.method !== 'GET') {
    options.push(
      fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown').map((encoding) => ({ kind: 'lying_encoding' as const, encoding })),
      fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '{"__proto__":{"admin":true}}', '\u0000').map((text) => ({
        kind: 'bad_json' as const,
        text,
      })),
      fc.constant({ kind: 'huge_body' as const }),
      fieldMutations.map((value) => ({ kind: 'whole_body' as const, value })),
    );
  }
  return fc.oneof(...options);
};

/** JSON text for a value; lone surrogates written as escapes (JSON.stringify already does, kept explicit). */
const toJson = (v: unknown) => JSON.stringify(v);

function buildRequest(t: Target, m: RequestMutation) {
  const e = t.endpoint;
  const body = e.body ? (plausible('_body', e.body) as Record<string, unknown>) : undefined;
  const query = e.query ? (plausible('_query', e.query) as Record<string, unknown>) : {};
  const params = e.params ? (plausible('_params', e.params) as Record<string, unknown>) : {};
  // Path :id parameters point at nothing real by default (a write to a real row is fine, a random id 404s).
  for (const k of Object.keys(params)) if (k === 'id') params[k] = someId();
  let rawBody: string | Buffer | undefined = body ? toJson(body) : undefined;
  const headers: Record<string, string> = {};
  let badPath = false;
  switch (m.kind) {
    case 'field':
      if (m.where === 'body' && body) {
        body[m.field] = m.value;
        rawBody = toJson(body);
      } else if (m.where === 'query') query[m.field] = m.value;
      else if (m.where === 'params') params[m.field] = m.value;
      break;
    case 'fields':
      // Every date field of one shape at once, so a range rule on the pair cannot hide a far date.
      for (const f of m.fields) {
        if (m.where === 'body' && body) body[f] = m.value;
        else if (m.where === 'query') query[f] = m.value;
        else params[f] = m.value;
      }
      if (m.where === 'body' && body) rawBody = toJson(body);
      break;
    case 'drop':
      if (m.where === 'body' && body) {
        delete body[m.field];
        rawBody = toJson(body);
      } else delete query[m.field];
      break;
    case 'bad_percent':
      badPath = true;
      break;
    case 'lying_encoding':
      headers['content-encoding'] = m.encoding;
      break;
    case 'bad_json':
      rawBody = m.text;
      break;
    case 'huge_body':
      rawBody = toJson({ ...body, padding: 'x'.repeat(300 * 1024) });
      break;
    case 'whole_body':
      rawBody = toJson(m.value);
      break;
  }
  let path: string = e.path;
  for (const [k, v] of Object.entries(params)) {
    path = path.replace(`:${k}`, badPath ? '%E0%A4%A' : encodeURIComponent(typeof v === 'string' ? v.replace(/[\uD800-\uDFFF]/g, '') : String(v)));
  }
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    qs.set(k, typeof v === 'string' ? v.replace(/[\uD800-\uDFFF]/g, '\uFFFD') : typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const url = qs.size ? `${path}?${qs}` : path;
  if (rawBody !== undefined) headers['content-type'] = 'application/json';
  return { method: e.method, url, body: e.method === 'GET' ? undefined : rawBody, headers };
}

// ------------------------------------------------------------------------------------- stored data snapshot

/** What a refused request must not change. Audit entries, their outbox copies and session activity may. */
const VOLATILE = new Set(['audit_log', 'outbox', 'meta', 'staff_sessions', 'sqlite_sequence']);

function snapshot(): string {
  const db = w.t.server.store.db;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !VOLATILE.has(n));
  const hash = crypto.createHash('sha256');
  for (const name of tables) {
    hash.update(name);
    // Some tables are WITHOUT ROWID: order the rows' text instead.
    const rows = db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r));
    for (const row of rows.sort()) hash.update(row);
  }
  return hash.digest('hex');
}

// ------------------------------------------------------------------------------------- the sweep

beforeAll(async () => {
  w = await schedulingWorld();
  patientId = await newPatient(w.desk);
}, 120_000);
afterAll(() => w.t.stop());

describe('input sweep over the endpoint catalogue', () => {
  it('never answers 5xx, changes nothing when it refuses, stays responsive, keeps the audit chain', async () => {
    expect(targets.length).toBeGreaterThan(60);
    const client = w.admin;
    const failures: string[] = [];
    const statuses = new Map<number, number>();

    // The health probe beside the sweep: each answer's latency, and the longest seen.
    let probing = true;
    let worstHealthMs = 0;
    let probes = 0;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        const res = await fetch(`${w.t.server.origin}/api/health`);
        await res.text();
        worstHealthMs = Math.max(worstHealthMs, performance.now() - started);
        probes++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const send = async (target: Target, mutation: RequestMutation) => {
      const req = buildRequest(target, mutation);
      const before = snapshot();
      const res = await client.raw(req.method, req.url, { body: req.body as string, headers: req.headers });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const label = `${target.name} ${JSON.stringify(mutation).slice(0, 200)} -> ${res.status} ${text.slice(0, 200)}`;
      if (res.status >= 500) failures.push(label);
      if (res.status >= 400 && snapshot() !== before) failures.push(`stored data changed: ${label}`);
      return res.status < 500;
    };

    try {
      // Systematic part: every date field of every endpoint with far dates in its own shape, and one text
      // field per endpoint with a lone surrogate; the random part below mixes everything else.
      for (const target of targets) {
        for (const where of ['body', 'query', 'params'] as const) {
          for (const kind of ['date', 'datetime', 'month'] as const) {
            const fields = target.fields.filter((f) => f.where === where && f.kind === kind).map((f) => f.field);
            if (!fields.length) continue;
            for (const value of FAR[kind]) await send(target, { kind: 'fields', where, fields, value });
          }
        }
        const text = target.fields.find((f) => f.kind === 'text' && f.where === 'body');
        if (text) await send(target, { kind: 'field', where: 'body', field: text.field, value: `x${LONE_SURROGATE}y` });
      }
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...targets.map((t) => t.name)).chain((n) => fc.tuple(fc.constant(n), mutationFor(byName.get(n)!))),
          async ([name, mutation]) => send(byName.get(name)!, mutation),
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      probing = false;
      await probe;
    }

    if (process.env.TESSERA_SWEEP_DEBUG) console.log({ statuses: Object.fromEntries(statuses), worstHealthMs, probes });
    expect(failures, failures.join('\n')).toEqual([]);
    // Most requests must have been refused (the sweep is about bad input), some accepted.
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);
    expect(probes).toBeGreaterThan(3);
    expect(worstHealthMs, `slowest health answer during the sweep: ${worstHealthMs.toFixed(0)} ms`).toBeLessThan(
      HEALTH_BOUND_MS,
    );
    const verify = await client.call('auditVerify');
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  }, 240_000);
});
