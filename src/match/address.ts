// IP addresses and `allowedAddresses` masks, parsed the way Go's net/netip parses them,
// and compiled once so that matching a call compares integers only.

/** A parsed IP address. IPv6 keeps its zone: Go compares zoned addresses including the zone. */
export type IpAddress = { family: 4; value: number } | { family: 6; value: bigint; zone: string };

const V4_MAX_FIELD = 255;

/** Parses a dotted-quad IPv4 address as netip does: four decimal fields, no leading zeros. */
function parseIPv4Value(s: string): number | undefined {
  let value = 0;
  let fields = 0;
  let field = -1;
  let fieldStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (field < 0 || fields === 4) return undefined;
      if (i - fieldStart > 1 && s.charCodeAt(fieldStart) === 0x30) return undefined; // leading zero
      value = value * 256 + field;
      fields++;
      field = -1;
      fieldStart = i + 1;
      continue;
    }
    if (c < 0x30 || c > 0x39) return undefined;
    field = (field < 0 ? 0 : field * 10) + (c - 0x30);
    if (field > V4_MAX_FIELD) return undefined;
  }
  return fields === 4 ? value : undefined;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail and a `%zone`) as netip does. */
function parseIPv6(s: string): { value: bigint; zone: string } | undefined {
  let zone = "";
  const pct = s.indexOf("%");
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    if (zone === "") return undefined;
    s = s.slice(0, pct);
  }
  const groups: number[] = [];
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = 0;
    i = 2;
    if (s.length === 2) return { value: 0n, zone };
  }
  while (i < s.length) {
    let v = 0;
    let digits = 0;
    const fieldStart = i;
    while (i < s.length && digits < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return undefined;
    if (i < s.length && s.charCodeAt(i) === 0x2e) {
      // Embedded IPv4 in the last 32 bits.
      if (ellipsis < 0 && groups.length !== 6) return undefined;
      if (groups.length > 6) return undefined;
      const v4 = parseIPv4Value(s.slice(fieldStart));
      if (v4 === undefined) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      i = s.length;
      break;
    }
    groups.push(v);
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    if (i < s.length && s.charCodeAt(i) === 0x3a) {
      if (ellipsis >= 0) return undefined;
      ellipsis = groups.length;
      i++;
      if (i === s.length) break;
    } else if (i === s.length) {
      return undefined; // trailing single colon
    }
    if (groups.length > 8) return undefined;
  }
  if (groups.length > 8) return undefined;
  if (ellipsis >= 0) {
    if (groups.length === 8) return undefined; // "::" must stand for at least one group
    groups.splice(ellipsis, 0, ...new Array<number>(8 - groups.length).fill(0));
  } else if (groups.length !== 8) {
    return undefined;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { value, zone };
}

/** Parses an IP address as Go's `netip.ParseAddr` does, or `undefined`. */
export function parseIp(s: string): IpAddress | undefined {
  if (s.length === 0) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      const v = parseIPv4Value(s);
      return v === undefined ? undefined : { family: 4, value: v };
    }
    if (c === 0x3a || c === 0x25) break;
  }
  const v6 = parseIPv6(s);
  return v6 === undefined ? undefined : { family: 6, value: v6.value, zone: v6.zone };
}

/** The IPv4 netmask of a prefix length, as an unsigned integer. */
const v4Mask = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

/** A CIDR prefix, host bits kept as given (netip does not require them to be zero). */
export interface IpPrefix {
  family: 4 | 6;
  bits: number;
  /** The address with host bits cleared, as an integer of its family. */
  network: number | bigint;
}

/** Parses `addr/bits` as Go's `netip.ParsePrefix` does, or `undefined`. */
export function parsePrefix(s: string): IpPrefix | undefined {
  const slash = s.lastIndexOf("/");
  if (slash < 0) return undefined;
  const bitsText = s.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const addr = parseIp(s.slice(0, slash));
  if (addr === undefined) return undefined;
  if (addr.family === 4) {
    if (bits > 32) return undefined;
    return { family: 4, bits, network: (addr.value & v4Mask(bits)) >>> 0 };
  }
  if (addr.zone !== "" || bits > 128) return undefined;
  const shift = BigInt(128 - bits);
  return { family: 6, bits, network: (addr.value >> shift) << shift };
}

/** True when the prefix contains the address (same family, no zone). */
export function prefixContains(prefix: IpPrefix, ip: IpAddress): boolean {
  if (ip.family !== prefix.family) return false;
  if (ip.family === 4) {
    return ((ip.value & v4Mask(prefix.bits)) >>> 0) === prefix.network;
  }
  if (ip.zone !== "") return false;
  const shift = BigInt(128 - prefix.bits);
  return (ip.value >> shift) << shift === prefix.network;
}

/**
 * A mask LiveKit silently drops: it contains `(`, `)`, `+`, `*`, `;`, `,`, space, tab, CR or LF,
 * or `://`. Bracketed IPv6 and host names are "valid" even though they never parse as IPs.
 */
export function isValidAddressMask(mask: string): boolean {
  return !/[()+*;, \t\n\r]/.test(mask) && !mask.includes("://");
}

/** An `allowedAddresses` list compiled once: the integer forms of its IP and CIDR entries. */
export interface AddressAllowlist {
  /** False when no entry survives LiveKit's invalid-mask filter. */
  readonly anyValid: boolean;
  /** The entries that survive the filter, for the From-host comparison. */
  readonly hosts: ReadonlySet<string>;
  readonly ipv4: ReadonlySet<number> | undefined;
  /**
   * The first IPv4 prefix of 1 to 30 bits inline, as `ip >>> shift === value` (both small
   * integers, stored in the object itself): the common one-prefix list needs no other object.
   * `shift` is -1 when there is none.
   */
  readonly ipv4Shift: number;
  readonly ipv4Value: number;
  /** Any IPv4 `/0` prefix: every IPv4 address. */
  readonly anyIPv4: boolean;
  /** The other IPv4 prefixes as (network, mask) pairs, compared with integer masks. */
  readonly ipv4Prefixes: Uint32Array | undefined;
  /** IPv6 entries as `value%zone` keys (netip compares zones too). */
  readonly ipv6: ReadonlySet<string> | undefined;
  readonly ipv6Prefixes: readonly IpPrefix[] | undefined;
  /** True when some valid entry is an IP address or a CIDR prefix (strict mode reads this). */
  readonly hasIpEntry: boolean;
}

const ipv6Key = (value: bigint, zone: string): string => value.toString(16) + "%" + zone;

/** Compiles `allowedAddresses`; `undefined` for an empty list (which admits everyone). */
export function compileAddressAllowlist(masks: readonly string[]): AddressAllowlist | undefined {
  if (masks.length === 0) return undefined;
  const hosts = new Set<string>();
  const ipv4 = new Set<number>();
  const ipv6 = new Set<string>();
  const v4Prefixes: number[] = [];
  const v6Prefixes: IpPrefix[] = [];
  let ipv4Shift = -1;
  let ipv4Value = 0;
  let anyIPv4 = false;
  for (const mask of masks) {
    if (!isValidAddressMask(mask)) continue;
    hosts.add(mask);
    if (mask.includes("/")) {
      const prefix = parsePrefix(mask);
      if (prefix?.family === 4 && prefix.bits === 0) anyIPv4 = true;
      else if (prefix?.family === 4 && ipv4Shift < 0 && prefix.bits <= 30) {
        ipv4Shift = 32 - prefix.bits;
        ipv4Value = (prefix.network as number) >>> ipv4Shift;
      } else if (prefix?.family === 4) v4Prefixes.push(prefix.network as number, v4Mask(prefix.bits));
      else if (prefix?.family === 6) v6Prefixes.push(prefix);
      continue;
    }
    const ip = parseIp(mask);
    if (ip?.family === 4) ipv4.add(ip.value);
    else if (ip?.family === 6) ipv6.add(ipv6Key(ip.value, ip.zone));
  }
  return {
    anyValid: hosts.size > 0,
    hosts,
    ipv4: ipv4.size > 0 ? ipv4 : undefined,
    ipv4Shift,
    ipv4Value,
    anyIPv4,
    ipv4Prefixes: v4Prefixes.length > 0 ? Uint32Array.from(v4Prefixes) : undefined,
    ipv6: ipv6.size > 0 ? ipv6 : undefined,
    ipv6Prefixes: v6Prefixes.length > 0 ? v6Prefixes : undefined,
    hasIpEntry: anyIPv4 || ipv4Shift >= 0 || ipv4.size + ipv6.size + v4Prefixes.length + v6Prefixes.length > 0,
  };
}

function ipAllowed(list: AddressAllowlist, ip: IpAddress): boolean {
  if (ip.family === 4) {
    if (list.anyIPv4 || (list.ipv4Shift >= 0 && ip.value >>> list.ipv4Shift === list.ipv4Value)) return true;
    if (list.ipv4?.has(ip.value)) return true;
    const prefixes = list.ipv4Prefixes;
    if (prefixes !== undefined)
      for (let i = 0; i < prefixes.length; i += 2) if (((ip.value & prefixes[i + 1]!) >>> 0) === prefixes[i]) return true;
    return false;
  }
  if (list.ipv6?.has(ipv6Key(ip.value, ip.zone))) return true;
  if (list.ipv6Prefixes !== undefined) for (const prefix of list.ipv6Prefixes) if (prefixContains(prefix, ip)) return true;
  return false;
}

/**
 * Whether `allowedAddresses` admits a call from `ip` (already parsed; `undefined` when the call
 * has no source address) whose From host is `host`.
 *
 * LiveKit-exact by default: no source address, or a list with no valid entry, admits every call,
 * and an entry equal to the caller-controlled From host admits it too. `strict` closes all three.
 */
export function addressAllowed(
  list: AddressAllowlist | undefined,
  ip: IpAddress | undefined,
  host: string,
  strict: boolean,
): boolean {
  if (list === undefined) return true;
  if (!list.anyValid || ip === undefined) return !strict;
  if (ipAllowed(list, ip)) return true;
  return (!strict || !list.hasIpEntry) && list.hosts.has(host);
}
