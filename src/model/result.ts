/** One problem found in an input, with the path to the offending value. */
export interface Issue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** A failure: a stable `code`, LiveKit's text (or ours) in `message`, and per-value `issues`. */
export interface DispatchError {
  code: string;
  message: string;
  issues?: Issue[];
}

/**
 * What every fallible function returns instead of throwing on bad data. `warnings`, only ever set
 * by the parse functions, lists what a successful parse skipped (fields it did not know, with
 * `unknownFields: "ignore"`); it is absent when nothing was skipped.
 */
export type Result<T, E = DispatchError> = { ok: true; value: T; warnings?: Issue[] } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A success that carries `warnings` when there are any. */
export const okWithWarnings = <T>(value: T, warnings: readonly Issue[]): { ok: true; value: T; warnings?: Issue[] } =>
  warnings.length === 0 ? { ok: true, value } : { ok: true, value, warnings: [...warnings] };

export const fail = (code: string, message: string, issues?: Issue[]): { ok: false; error: DispatchError } =>
  issues === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, issues } };
