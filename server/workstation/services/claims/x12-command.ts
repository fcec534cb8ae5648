import fs from 'node:fs';
import { formatSummary, summarize837p } from '../../../domain/claims/x12/837p/describe';
import { validate837p, type X12Issue } from '../../../domain/claims/x12/837p/validate';

/**
 * `tessera x12 validate FILE` and `tessera x12 describe FILE`: the 837P checks for scripted clearinghouse work
 * and IT automation. They read a file and print; they never open the database, so they run on any machine
 * with the CLI. Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage or unreadable file.
 */

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function formatIssue(i: X12Issue): string {
  return `${i.severity === 'error' ? 'Error' : 'Warning'}: segment ${i.position} (${i.segment}, loop ${i.loop})${i.element ? ` ${i.element}` : ''}: ${i.message}`;
}

export function runX12Command(sub: string | undefined, file: string | undefined, io: Output): number {
  if ((sub !== 'validate' && sub !== 'describe') || !file) {
    io.err('Usage: tessera x12 validate FILE | tessera x12 describe FILE');
    return 2;
  }
  let text: string;
  try {
    // latin1 keeps every byte as one character, so segment positions match the file whatever its encoding.
    text = fs.readFileSync(file, 'latin1');
  } catch {
    io.err(`Cannot read ${file}.`);
    return 2;
  }
  const result = validate837p(text);
  if (sub === 'validate') {
    for (const issue of result.issues) (issue.severity === 'error' ? io.err : io.out)(formatIssue(issue));
    const summary = `${result.segments.length} segments checked: ${result.errors} error(s), ${result.warnings} warning(s).`;
    if (result.errors) io.err(summary);
    else io.out(summary);
    return result.errors ? 1 : 0;
  }
  if (!result.delimiters) {
    for (const issue of result.issues) io.err(formatIssue(issue));
    return 1;
  }
  io.out(formatSummary(summarize837p(result.segments, result.delimiters)));
  io.out(
    result.errors
      ? `${result.errors} error(s) and ${result.warnings} warning(s); run \`tessera x12 validate\` for the list.`
      : `Valid 837P (${result.warnings} warning(s)).`,
  );
  return 0;
}
