import { decodeJwt, jwtVerify } from "jose";
import { TwirpError } from "../twirp/errors.js";

// LiveKit's API auth (livekit/livekit pkg/service/auth.go): `Authorization: Bearer <JWT>` (or an
// `access_token` query parameter), HS256, signed with the secret of the API key in `iss`, checked
// against nbf/exp; the SIP grants are the `sip` claim (`{admin, call}`), as livekit-server-sdk's
// AccessToken.addSIPGrant writes it. Messages are LiveKit's; none ever carries a secret.

export interface SipGrants {
  admin: boolean;
  call: boolean;
}

const BEARER = "Bearer ";
const CACHE_LIMIT = 1024;

interface Verified {
  grants: SipGrants;
  notBefore: number;
  expires: number;
}

export type Authenticator = (authorization: string | undefined, accessToken: string | null) => Promise<SipGrants>;

function grantsOf(payload: Record<string, unknown>): SipGrants {
  const sip = payload["sip"];
  const claim = typeof sip === "object" && sip !== null ? (sip as Record<string, unknown>) : {};
  return { admin: claim["admin"] === true, call: claim["call"] === true };
}

/** Checks tokens against `keys` (API key → secret). Verified tokens are remembered until they expire. */
export function authenticator(keys: Readonly<Record<string, string>>): Authenticator {
  const cache = new Map<string, Verified>();
  const secrets = new Map(Object.entries(keys).map(([k, s]) => [k, new TextEncoder().encode(s)]));

  const verify = async (token: string): Promise<Verified> => {
    let key: unknown;
    try {
      key = decodeJwt(token).iss;
    } catch {
      throw new TwirpError("unauthenticated", "invalid authorization token");
    }
    const secret = typeof key === "string" ? secrets.get(key) : undefined;
    if (secret === undefined) throw new TwirpError("unauthenticated", "invalid API key");
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"], issuer: key as string });
      return { grants: grantsOf(payload), notBefore: payload.nbf ?? 0, expires: payload.exp ?? Number.POSITIVE_INFINITY };
    } catch (error) {
      throw new TwirpError("unauthenticated", `invalid authorization token: ${(error as Error).message}`);
    }
  };

  return async (authorization, accessToken) => {
    let token: string;
    if (authorization !== undefined && authorization !== "") {
      if (!authorization.startsWith(BEARER)) throw new TwirpError("unauthenticated", `invalid authorization header. Must start with ${BEARER}`);
      token = authorization.slice(BEARER.length);
    } else if (accessToken !== null && accessToken !== "") token = accessToken;
    else throw new TwirpError("unauthenticated", "missing authorization: a Bearer token is required");
    const now = Date.now() / 1000;
    const known = cache.get(token);
    if (known !== undefined && known.notBefore <= now && now < known.expires) return known.grants;
    const verified = await verify(token);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(token, verified);
    return verified.grants;
  };
}
