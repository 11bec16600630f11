// The shape of a validated GJSON path and the error raised for an invalid one. Positions are 0-based indexes into
// the full path text, also for paths nested in queries and multipaths.

/** A path that cannot be evaluated; `position` is the 0-based index of the fault in the path. */
export class GjsonPathError extends Error {
  override readonly name = 'GjsonPathError';
  readonly position: number;
  readonly path: string;

  constructor(path: string, position: number, problem: string) {
    super(`${problem} at position ${position}`);
    this.path = path;
    this.position = position;
  }
}

/** The separator written before a component: `.` steps into the value, `|` applies the rest to the result. */
export type GjsonSeparator = '.' | '|';

/** The right-hand side of a query: a JSON string, a bare word as written, or a `~true`/`~false` truthiness test. */
export type GjsonQueryValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'bare'; readonly text: string }
  | { readonly kind: 'truthy'; readonly expected: boolean };

/** The comparison operators of a query (`=` and `==` are the same test). */
export type GjsonQueryOp = '==' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '%' | '!%';

/** One member of a multipath, with its optional explicit name. */
export type GjsonMember = { readonly name: string | undefined; readonly path: GjsonPath };

/** Where a component sits in the path text, and the separator before it (none for the first). */
export type GjsonSpan = { readonly sep: GjsonSeparator | undefined; readonly start: number; readonly end: number };

/** One component of a path. */
export type GjsonComponent = GjsonSpan &
  (
    | { readonly kind: 'key'; readonly key: string; readonly wildcard: boolean }
    | { readonly kind: 'count' }
    | { readonly kind: 'map' }
    | {
        readonly kind: 'query';
        readonly lhs: GjsonPath | undefined;
        readonly op: GjsonQueryOp | undefined;
        readonly value: GjsonQueryValue | undefined;
        readonly all: boolean;
      }
    | { readonly kind: 'modifier'; readonly name: string; readonly arg: string | undefined }
    | { readonly kind: 'literal'; readonly value: unknown }
    | { readonly kind: 'multipath'; readonly shape: 'array' | 'object'; readonly members: readonly GjsonMember[] }
  );

/** A validated path: its components in order; `jsonLines` when it starts with `..`. */
export type GjsonPath = {
  readonly start: number;
  readonly end: number;
  readonly jsonLines: boolean;
  readonly components: readonly GjsonComponent[];
};

/** Parses the path text in [from, to) of the whole path; used for the paths nested in queries and multipaths. */
export type SubParser = (from: number, to: number) => GjsonPath;

/** The text being validated and how to report a fault in it. */
export type Source = { readonly text: string; readonly fail: (position: number, problem: string) => never };

/** A source over `text` whose faults raise GjsonPathError. */
export function sourceOf(text: string): Source {
  return {
    text,
    fail: (position, problem) => {
      throw new GjsonPathError(text, position, problem);
    },
  };
}
