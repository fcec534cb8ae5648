import { z } from 'zod';

/**
 * Contracts between the Electron main process and the workstation server it runs in a utilityProcess,
 * plus the machine policy file IT places on each workstation. Plain zod: no electron import here.
 */

/** Settings a workstation user may change unless the machine policy presets (and so locks) them. */
export const workstationSettingsSchema = z.object({
  centralUrl: z.url({ protocol: /^https?$/ }).nullable(),
  autoUpdate: z.boolean(),
  updateChannel: z.enum(['stable', 'beta']),
});
export type WorkstationSettings = z.infer<typeof workstationSettingsSchema>;

export const defaultWorkstationSettings: WorkstationSettings = {
  centralUrl: null,
  autoUpdate: true,
  updateChannel: 'stable',
};

/**
 * Machine policy (JSON). Every key present under `settings` is enforced and locked: user settings cannot
 * override it. `allowKeyFile` lets a Linux machine without a keyring keep the database key in a 0600 file.
 */
export const machinePolicySchema = z
  .object({
    allowKeyFile: z.boolean().default(false),
    settings: workstationSettingsSchema.partial().default({}),
    /** Offer a release only this many days after it was published (a fleet lets others go first). */
    updateDeferDays: z.number().int().min(0).max(90).default(0),
  })
  .strict();
export type MachinePolicy = z.infer<typeof machinePolicySchema>;

/** main -> utilityProcess: start serving. The key travels by message, never by argv or environment. */
export const serverStartMessageSchema = z.object({
  type: z.literal('start'),
  dataDir: z.string().min(1),
  dbKeyHex: z.string().regex(/^[0-9a-f]{64}$/),
  launchSecret: z.string().min(32),
  rendererDir: z.string().min(1),
  appVersion: z.string(),
  /** The central server address from settings; `centralUrlLocked` when machine policy sets it. */
  centralUrl: z.string().nullable().optional(),
  centralUrlLocked: z.boolean().optional(),
});
export type ServerStartMessage = z.infer<typeof serverStartMessageSchema>;

/**
 * main -> the workstation CLI run for `Tessera --admin …` (main/admin-cli.ts): the database key from the
 * desktop key store, sent on the parent port so it is in neither the CLI's environment nor its arguments.
 */
export const adminKeyMessageSchema = z.object({
  type: z.literal('tessera-admin-key'),
  keyHex: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AdminKeyMessage = z.infer<typeof adminKeyMessageSchema>;

/** utilityProcess -> main. */
/** Where the desktop updater reads central's update feed, with the device credential (null: not enrolled). */
export const updateFeedSchema = z
  .object({ url: z.url({ protocol: /^https?$/ }), headers: z.record(z.string(), z.string()) })
  .nullable();
export type UpdateFeed = z.infer<typeof updateFeedSchema>;

export const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int().positive(), launchUrl: z.string() }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
  z.object({ type: z.literal('update-feed'), feed: updateFeedSchema }),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;

/** What the preload bridge exposes to the renderer as `window.tessera`. */
export type UpdateState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'available'; version: string }
  | { status: 'downloading'; percent: number }
  | { status: 'ready'; version: string }
  | { status: 'error'; message: string }
  | { status: 'disabled'; reason: string };

export interface TesseraBridge {
  appVersion(): Promise<string>;
  getUpdateState(): Promise<UpdateState>;
  onUpdateState(listener: (state: UpdateState) => void): () => void;
  installUpdate(): Promise<void>;
  print(): Promise<void>;
}
