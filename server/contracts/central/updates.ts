import { z } from 'zod';
import { idSchema } from '../common';

/**
 * The desktop update feed at central (docs/updates.md): files an organization's administrators upload, the
 * releases they publish with electron-builder's manifests, and the names the updater asks for.
 */

/** What electron-builder names a release's files: no folders, no leading dot, nothing a URL must escape. */
export const updateFileNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/,
    'A file name may hold letters, digits, dots, dashes, underscores and plus signs (no folders).',
  );

/** The manifests electron-updater reads: latest.yml (Windows), latest-mac.yml, latest-linux.yml, beta*. */
export const manifestNameSchema = z
  .string()
  .regex(
    /^(latest|beta)(-mac|-linux|-linux-arm64)?\.yml$/,
    'A manifest is latest.yml, latest-mac.yml or latest-linux.yml (or the beta equivalents).',
  );
export const isManifestName = (name: string) => manifestNameSchema.safeParse(name).success;

/** Semantic version as electron-builder writes it (1.4.0, 1.5.0-beta.2); the prerelease tag makes it beta. */
export const releaseVersionSchema = z
  .string()
  .regex(
    /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(-[0-9A-Za-z.-]{1,40})?$/,
    'Give the version as electron-builder wrote it, e.g. 1.4.0 or 1.5.0-beta.2.',
  );

export const stagingPercentageSchema = z
  .number()
  .int('The rollout is a whole percentage.')
  .min(1, 'Roll out to at least 1% of workstations.')
  .max(100, 'The rollout cannot exceed 100%.');

export const updateFileParamsSchema = z.object({ orgId: idSchema, name: updateFileNameSchema });
export const updateFileSchema = z.object({
  name: z.string(),
  sha512: z.string(),
  size: z.number().int(),
  uploadedAt: z.string(),
});

export const publishReleaseSchema = z.object({
  version: releaseVersionSchema,
  stagingPercentage: stagingPercentageSchema.default(100),
  /** Manifest file name → its text, exactly as electron-builder wrote it. */
  manifests: z
    .record(manifestNameSchema, z.string().min(1).max(65_536))
    .refine((m) => Object.keys(m).length > 0, 'Include the manifests electron-builder wrote (latest.yml, …).'),
});
export const releaseParamsSchema = z.object({ orgId: idSchema, version: releaseVersionSchema });
export const updateReleasePatchSchema = z.object({ stagingPercentage: stagingPercentageSchema });
export const releaseSchema = z.object({
  id: idSchema,
  version: z.string(),
  channel: z.enum(['stable', 'beta']),
  stagingPercentage: z.number().int(),
  manifests: z.array(z.string()),
  files: z.array(z.string()),
  publishedAt: z.string(),
  updatedAt: z.string(),
});
export const releaseListSchema = z.object({ releases: z.array(releaseSchema) });

export const feedParamsSchema = z.object({ name: updateFileNameSchema });

export type UpdateFile = z.infer<typeof updateFileSchema>;
export type Release = z.infer<typeof releaseSchema>;
export type PublishRelease = z.infer<typeof publishReleaseSchema>;
