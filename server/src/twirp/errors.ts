// Twirp's error wire format (https://twitchtv.github.io/twirp/docs/spec_v7.html): JSON
// `{"code", "msg"}` with the HTTP status the code maps to, whatever the request's format.

export const TWIRP_STATUS = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500,
} as const;

export type TwirpCode = keyof typeof TWIRP_STATUS;

export class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return TWIRP_STATUS[this.code];
  }
  body(): string {
    return JSON.stringify({ code: this.code, msg: this.message });
  }
}

/** The Twirp code LiveKit answers for a `sip-dispatch` store failure (livekit/livekit pkg/service/sip.go). */
export function twirpCodeOf(storeCode: string): TwirpCode {
  switch (storeCode) {
    case "not_found":
      return "not_found";
    case "unavailable":
      return "unavailable";
    case "aborted":
      return "aborted";
    case "id_collision":
      return "internal";
    default:
      // Request checks, create-time validation and conflicts are all InvalidArgument in LiveKit.
      return "invalid_argument";
  }
}

export const fromStoreError = (error: { code: string; message: string }): TwirpError => new TwirpError(twirpCodeOf(error.code), error.message);
