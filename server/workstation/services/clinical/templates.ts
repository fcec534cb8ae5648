import { and, eq } from 'drizzle-orm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import {
  templateDefinitionSchema,
  templateKindSchema,
  type NoteTemplate,
  type TemplateCreate,
  type TemplateRevise,
} from '../../../contracts/clinical';
import { noteTemplates, users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { defaultTemplates } from './default-templates';
import { liveRow } from '../../db/live-row';

type TemplateRow = typeof noteTemplates.$inferSelect;

// The default templates get ids derived from the clinic and template key, so two workstations that set
// them up while offline create the same rows rather than two copies of each.
const DEFAULT_TEMPLATE_NAMESPACE = '5b0f2c1e-7a3d-4f3e-9a5c-2d6c1f0b7e41';
const defaultTemplateId = (clinicId: string, key: string) =>
  uuidv5(`${clinicId}:note-template:${key}:1`, DEFAULT_TEMPLATE_NAMESPACE);

// A template version's definition never changes once written (a change is a new version), so each is
// parsed once per process.
const definitions = new Map<string, NoteTemplate['definition']>();
function definitionOf(row: TemplateRow): NoteTemplate['definition'] {
  let def = definitions.get(row.id);
  if (!def) {
    def = templateDefinitionSchema.parse(JSON.parse(row.definition));
    definitions.set(row.id, def);
  }
  return def;
}

/** A template version's definition, from the cache when this process has read it before. */
export function templateDefinition(store: Store, templateId: string): NoteTemplate['definition'] {
  return definitions.get(templateId) ?? definitionOf(templateRow(store, templateId));
}

export function toTemplate(row: TemplateRow, createdByName: string | null): NoteTemplate {
  return {
    id: row.id,
    key: row.templateKey,
    name: row.name,
    kind: templateKindSchema.catch('custom').parse(row.kind),
    version: row.version,
    restrictedDefault: row.restrictedDefault,
    definition: definitionOf(row),
    status: row.status,
    createdAt: row.createdAt,
    createdByName,
  };
}

/** Create the default templates the first time the clinic's templates are needed. */
export function ensureDefaultTemplates(store: Store, actor: Actor): void {
  const clinicId = store.requireClinicId();
  const missing = defaultTemplates.filter(
    (t) =>
      !store.orm
        .select({ id: noteTemplates.id })
        .from(noteTemplates)
        .where(eq(noteTemplates.id, defaultTemplateId(clinicId, t.key)))
        .get(),
  );
  if (!missing.length) return;
  const now = store.nowIso();
  store.write(actor, (w) => {
    for (const t of missing) {
      // Another key may already hold version 1 (an admin-made template): skip rather than collide.
      const taken = w.orm
        .select({ id: noteTemplates.id })
        .from(noteTemplates)
        .where(and(eq(noteTemplates.clinicId, clinicId), eq(noteTemplates.templateKey, t.key)))
        .get();
      if (taken) continue;
      w.insert('note_templates', {
        id: defaultTemplateId(clinicId, t.key),
        clinicId,
        templateKey: t.key,
        version: 1,
        name: t.name,
        kind: t.kind,
        restrictedDefault: t.restrictedDefault,
        definition: JSON.stringify(t.definition),
        status: 'active',
        createdBy: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
    }
  });
}

function nameOf(store: Store, userId: string | null): string | null {
  if (!userId) return null;
  return (
    store.orm.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId)).get()?.fullName ??
    null
  );
}

export function templateRow(store: Store, id: string): TemplateRow {
  const row = store.orm
    .select()
    .from(noteTemplates)
    .where(
      and(
        eq(noteTemplates.id, id),
        liveRow(noteTemplates, store.requireClinicId()),
      ),
    )
    .get();
  if (!row) throw notFound('That note template');
  return row;
}

/** The current (active) version of each template, by name. */
export function listTemplates(store: Store, actor: Actor): NoteTemplate[] {
  ensureDefaultTemplates(store, actor);
  return store.orm
    .select()
    .from(noteTemplates)
    .where(
      and(
        liveRow(noteTemplates, store.requireClinicId()),
        eq(noteTemplates.status, 'active'),
        ),
    )
    .all()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => toTemplate(r, nameOf(store, r.createdBy)));
}

export function getTemplate(store: Store, id: string): NoteTemplate {
  const row = templateRow(store, id);
  return toTemplate(row, nameOf(store, row.createdBy));
}

function keyFromName(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `${base || 'template'}_${uuidv7().slice(-8)}`;
}

export function createTemplate(store: Store, actor: Actor, input: TemplateCreate): NoteTemplate {
  const clinicId = store.requireClinicId();
  const now = store.nowIso();
  const id = uuidv7();
  const key = keyFromName(input.name);
  store.write(actor, (w) => {
    w.insert('note_templates', {
      id,
      clinicId,
      templateKey: key,
      version: 1,
      name: input.name,
      kind: input.kind,
      restrictedDefault: input.restrictedDefault,
      definition: JSON.stringify(input.definition),
      status: 'active',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    w.audit({ action: 'template.create', detail: { templateId: id, key, version: 1 } });
  });
  return getTemplate(store, id);
}

/**
 * A revision is a new row with the next version number; the previous version stays (superseded) so every
 * note written with it still renders with its own sections.
 */
export function reviseTemplate(store: Store, actor: Actor, id: string, input: TemplateRevise): NoteTemplate {
  const current = templateRow(store, id);
  if (current.status !== 'active') {
    throw new AppError(
      409,
      'template_not_current',
      'Only the current version of a template can be revised. Open the latest version.',
    );
  }
  if (current.version !== input.baseVersion) {
    throw new AppError(
      409,
      'template_conflict',
      'Someone saved a newer version of this template. Reload it and make your change again.',
    );
  }
  const now = store.nowIso();
  const nextId = uuidv7();
  store.write(actor, (w) => {
    w.update('note_templates', current.id, { status: 'superseded', updatedAt: now });
    w.insert('note_templates', {
      id: nextId,
      clinicId: current.clinicId,
      templateKey: current.templateKey,
      version: current.version + 1,
      name: input.name,
      kind: current.kind,
      restrictedDefault: input.restrictedDefault,
      definition: JSON.stringify(input.definition),
      status: 'active',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    w.audit({
      action: 'template.revise',
      detail: {
        templateId: nextId,
        previousId: current.id,
        key: current.templateKey,
        version: current.version + 1,
      },
    });
  });
  return getTemplate(store, nextId);
}

export function retireTemplate(store: Store, actor: Actor, id: string): NoteTemplate {
  const current = templateRow(store, id);
  if (current.status !== 'active') {
    throw new AppError(409, 'template_not_current', 'Only the current version of a template can be retired.');
  }
  store.write(actor, (w) => {
    w.update('note_templates', current.id, { status: 'retired', updatedAt: store.nowIso() });
    w.audit({
      action: 'template.retire',
      detail: { templateId: current.id, key: current.templateKey, version: current.version },
    });
  });
  return getTemplate(store, id);
}
