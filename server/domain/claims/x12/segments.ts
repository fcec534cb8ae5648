/**
 * The X12 interchange as a list of segments: the one tokenizer every inbound parser (999, 277CA, 835, 271)
 * and the 837P validator share, and the one serializer the outbound builders write with.
 *
 * X12 declares its own delimiters in the fixed-width ISA header (element separator at byte 3, repetition
 * separator in ISA11, component separator in ISA16 and the segment terminator right after it), so nothing here
 * assumes `*`, `:` or `~`. Line breaks between segments are a transport habit, not part of the data: they are
 * dropped unless the terminator itself is a line break.
 */

export type Delimiters = {
  element: string;
  component: string;
  repetition: string;
  segment: string;
};

export type Segment = {
  /** Segment id, e.g. `CLP`. */
  id: string;
  /** Elements after the id: `elements[0]` is XX01. */
  elements: string[];
  /** 0-based position in the interchange, for error messages ("segment 14"). */
  position: number;
};

export class X12SyntaxError extends Error {}

/** The standard delimiters the builders write with. */
export const defaultDelimiters: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

/** Reads the delimiters an interchange declares in its ISA header. */
export function delimitersOf(text: string): Delimiters {
  const start = text.indexOf('ISA');
  if (start < 0 || text.length < start + 106)
    throw new X12SyntaxError('The file does not start with an ISA header.');
  const isa = text.slice(start);
  const element = isa[3]!;
  // ISA is fixed width: 16 elements, the last (ISA16, the component separator) at offset 104.
  const fields = isa.slice(0, 106).split(element);
  if (fields.length !== 17) throw new X12SyntaxError('The ISA header does not have 16 fixed-width elements.');
  const component = isa[104]!;
  const segment = isa[105]!;
  const repetition = fields[11]!.length === 1 && fields[11] !== 'U' ? fields[11]! : '^';
  return { element, component, repetition, segment };
}

/** Splits an interchange into segments using its declared delimiters. */
export function parseSegments(text: string): { delimiters: Delimiters; segments: Segment[] } {
  const body = text.replace(/^\uFEFF/, '');
  const delimiters = delimitersOf(body);
  const start = body.indexOf('ISA');
  const lineBreaks = delimiters.segment === '\n' || delimiters.segment === '\r' ? null : /[\r\n]+/g;
  const segments: Segment[] = [];
  for (const raw of body.slice(start).split(delimiters.segment)) {
    const cleaned = (lineBreaks ? raw.replace(lineBreaks, '') : raw).trim();
    if (cleaned === '') continue;
    const [id, ...elements] = cleaned.split(delimiters.element);
    segments.push({ id: id!, elements, position: segments.length });
  }
  return { delimiters, segments };
}

/** Element `n` (1-based, as the implementation guides number them) of a segment, or '' when absent. */
export function el(segment: Segment, n: number): string {
  return segment.elements[n - 1] ?? '';
}

/** Component `c` (1-based) of element `n`, e.g. the procedure code in SV1-01 `HC:90837:95`. */
export function component(segment: Segment, n: number, c: number, delimiters: Delimiters): string {
  return el(segment, n).split(delimiters.component)[c - 1] ?? '';
}

/** Writes one segment, dropping trailing empty elements as X12 requires. */
export function writeSegment(
  id: string,
  elements: readonly (string | undefined)[],
  d: Delimiters = defaultDelimiters,
): string {
  const values = elements.map((e) => e ?? '');
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  return [id, ...values].join(d.element) + d.segment;
}
