import yaml from 'js-yaml';
import semver from 'semver';

/**
 * Rules for electron-updater's manifests (latest.yml and friends) as central's update feed serves them.
 * A manifest names the release's files with their SHA-512 (base64) and size; central publishes it only when
 * every file it names was uploaded with exactly that hash and size, and adds `stagingPercentage` (a staged
 * rollout, which electron-updater applies per machine) when the release is not yet for everyone.
 */

export type Channel = 'stable' | 'beta';

export interface ManifestFile {
  url: string;
  sha512: string;
  size: number;
}

export interface Manifest {
  version: string;
  files: ManifestFile[];
}

export class ManifestError extends Error {}

/** A prerelease version (1.5.0-beta.2) is a beta release; anything else is stable. */
export function channelOf(version: string): Channel {
  return semver.prerelease(version) ? 'beta' : 'stable';
}

/**
 * Which manifests a release may carry: a beta release only beta*.yml; a stable one latest*.yml and, as
 * electron-builder writes with generateUpdatesFilesForAllChannels, beta*.yml (beta machines get it too).
 */
export function manifestAllowed(name: string, channel: Channel): boolean {
  return channel === 'stable' || name.startsWith('beta');
}

export function parseManifest(name: string, text: string): Manifest {
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    throw new ManifestError(`${name} is not valid YAML.`);
  }
  const d = doc as { version?: unknown; files?: unknown } | null;
  if (!d || typeof d !== 'object' || typeof d.version !== 'string' || !Array.isArray(d.files) || d.files.length === 0) {
    throw new ManifestError(`${name} does not look like an update manifest (it needs version and files).`);
  }
  const files = d.files.map((f: unknown, i): ManifestFile => {
    const file = f as { url?: unknown; sha512?: unknown; size?: unknown } | null;
    if (
      !file ||
      typeof file.url !== 'string' ||
      typeof file.sha512 !== 'string' ||
      typeof file.size !== 'number' ||
      !Number.isSafeInteger(file.size)
    ) {
      throw new ManifestError(`${name}: file ${i + 1} needs url, sha512 and size.`);
    }
    return { url: file.url, sha512: file.sha512, size: file.size };
  });
  return { version: d.version, files };
}

/**
 * Every file a manifest names must be one of the uploaded files, byte for byte (same SHA-512 and size);
 * blockmaps (`<file>.blockmap`) are fetched by name for differential downloads and must be there too when
 * the installer's is. Returns the problems as sentences (empty when the manifest is sound).
 */
export function checkManifestFiles(
  name: string,
  manifest: Manifest,
  version: string,
  uploaded: ReadonlyMap<string, { sha512: string; size: number }>,
): string[] {
  const problems: string[] = [];
  if (manifest.version !== version) {
    problems.push(`${name} is for version ${manifest.version}, not ${version}.`);
  }
  for (const f of manifest.files) {
    const up = uploaded.get(f.url);
    if (!up) problems.push(`${name} names ${f.url}, which has not been uploaded.`);
    else if (up.sha512 !== f.sha512 || up.size !== f.size) {
      problems.push(`${f.url} differs from what ${name} says (SHA-512 or size): upload the file this build wrote.`);
    }
  }
  return problems;
}

/** The manifest as served: as published, plus the rollout when it is below 100%. */
export function servedManifest(text: string, stagingPercentage: number): string {
  const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
  delete doc.stagingPercentage;
  if (stagingPercentage < 100) doc.stagingPercentage = stagingPercentage;
  return yaml.dump(doc, { lineWidth: -1, schema: yaml.CORE_SCHEMA });
}

/** Newer first, by semantic version (a prerelease sorts below its release). */
export const newerFirst = (a: string, b: string) => semver.rcompare(a, b);
export const isNewer = (candidate: string, than: string) => semver.gt(candidate, than);
