/**
 * One poll of the clearinghouse's inbound folders: fetch each waiting file, hand it to the handler (which
 * parses and records it — 999 on the batch, 277CA on the claims, 835 into posting, 271 on the appointment),
 * then archive it. Idempotent by content digest: `isProcessed(sha256)` lets the caller's store say "seen",
 * in which case the handler is skipped and the file is only archived (a crash between handling and
 * archiving, or the clearinghouse re-dropping a file). A handler failure leaves the file in place for the
 * next poll and is reported; one bad file never stops the others.
 */
import { type ClearinghousePort, type InboundFile, type InboundKind, kindOfContent, sha256 } from './port';

export type HandledFile = {
  file: InboundFile;
  /** The kind by content (ST01), which wins over the folder it was found in. */
  kind: InboundKind;
  sha256: string;
  content: Buffer;
};

export type PollOutcome = {
  handled: { name: string; kind: InboundKind; sha256: string }[];
  skippedAsProcessed: { name: string; sha256: string }[];
  failed: { name: string; error: string }[];
};

export type PollHooks = {
  isProcessed(sha256: string): Promise<boolean> | boolean;
  /**
   * Hands the file over; `false` when another node (or an earlier poll that died before archiving) had
   * already handed it over, so the file is archived and counted as seen, not as received twice.
   */
  handle(file: HandledFile): Promise<boolean | void>;
};

export async function pollInbound(port: ClearinghousePort, hooks: PollHooks): Promise<PollOutcome> {
  const outcome: PollOutcome = { handled: [], skippedAsProcessed: [], failed: [] };
  for (const file of await port.listInbound()) {
    try {
      const content = await port.download(file);
      const digest = sha256(content);
      if (await hooks.isProcessed(digest)) {
        await port.archive(file);
        outcome.skippedAsProcessed.push({ name: file.name, sha256: digest });
        continue;
      }
      const kind = kindOfContent(content);
      if (!kind) {
        outcome.failed.push({
          name: file.name,
          error: 'The file is not an X12 999, 277CA, 835 or 271; left in place.',
        });
        continue;
      }
      const handedOver = await hooks.handle({ file, kind, sha256: digest, content });
      // Counted before archiving: once handed over it is received, even if the archive below fails because
      // another node, which found the file already handed over, archived it first.
      if (handedOver === false) outcome.skippedAsProcessed.push({ name: file.name, sha256: digest });
      else outcome.handled.push({ name: file.name, kind, sha256: digest });
      await port.archive(file);
    } catch (e) {
      outcome.failed.push({ name: file.name, error: (e as Error).message });
    }
  }
  return outcome;
}
