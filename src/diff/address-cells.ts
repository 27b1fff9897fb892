import { addressAllowed, compileAddressAllowlist, isValidAddressMask, parseIp, parsePrefix, type AddressAllowlist, type IpAddress } from "../match/address.js";

// Source addresses, split into the cells that a set of `allowedAddresses` lists can tell apart:
// two addresses in one cell are admitted by exactly the same lists. Every IP and CIDR entry is an
// interval of its family, so the cells are runs between interval ends, and one address at the
// start of each run (plus the start of each family) stands for all of them.

const V4_END = 2 ** 32;
const V6_END = 1n << 128n;

const v4Text = (value: number): string => [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
const v6Text = (value: bigint): string =>
  Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(":");

/** A host no list can hold (a mask with a space is dropped), so that only the address decides. */
const NO_HOST = " ";

/** The addresses where some entry of `masks` starts or ends, as text: every cell's first address is among them. */
function boundaries(masks: readonly string[], v4: Set<number>, v6: Set<bigint>, zoned: Set<string>): void {
  for (const mask of masks) {
    if (!isValidAddressMask(mask)) continue;
    if (mask.includes("/")) {
      const prefix = parsePrefix(mask);
      if (prefix?.family === 4) {
        const start = prefix.network as number;
        v4.add(start);
        const end = start + 2 ** (32 - prefix.bits);
        if (end < V4_END) v4.add(end);
      } else if (prefix?.family === 6) {
        const start = prefix.network as bigint;
        v6.add(start);
        const end = start + (1n << BigInt(128 - prefix.bits));
        if (end < V6_END) v6.add(end);
      }
      continue;
    }
    const ip = parseIp(mask);
    if (ip?.family === 4) {
      v4.add(ip.value);
      if (ip.value + 1 < V4_END) v4.add(ip.value + 1);
    } else if (ip?.family === 6 && ip.zone !== "") zoned.add(mask);
    else if (ip?.family === 6) {
      v6.add(ip.value);
      if (ip.value + 1n < V6_END) v6.add(ip.value + 1n);
    }
  }
}

/** The source-address cells of some trunks' allowlists, and the map from an address to its cell. */
export interface AddressCells {
  /** One address per cell, as text (no cell when no list has a valid entry: then every address acts as none). */
  readonly representatives: readonly string[];
  /** The representative of the cell `ip` falls in, or `undefined` when addresses make no difference. */
  representativeOf(ip: IpAddress): string | undefined;
  /**
   * The From hosts that can still admit a call from the cell of `representative`: the host
   * entries of the lists whose addresses refuse it (a list that admits the address never reads
   * the host).
   */
  hostsDeciding(representative: string): ReadonlySet<string>;
}

const NO_HOSTS: ReadonlySet<string> = new Set();
const NO_CELLS: AddressCells = { representatives: [], representativeOf: () => undefined, hostsDeciding: () => NO_HOSTS };

/** Splits the address space by the allowlists of `masksPerTrunk` (one list per trunk). */
export function addressCells(masksPerTrunk: readonly (readonly string[])[]): AddressCells {
  const lists = masksPerTrunk.map(compileAddressAllowlist).filter((list): list is AddressAllowlist => list?.anyValid === true);
  if (lists.length === 0) return NO_CELLS;
  const v4 = new Set<number>();
  const v6 = new Set<bigint>();
  const zoned = new Set<string>(["fe80::1%sip-dispatch-diff"]);
  for (const masks of masksPerTrunk) boundaries(masks, v4, v6, zoned);
  const signature = (ip: IpAddress): string => lists.map((list) => (addressAllowed(list, ip, NO_HOST, false) ? "1" : "0")).join("");
  const bySignature = new Map<string, string>();
  const candidates = [
    ...[...v4].sort((a, b) => a - b).map(v4Text),
    ...[...v6].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(v6Text),
    ...[...zoned].sort(),
    // The first address of each family, last: an address the lists name reads better as a witness.
    "0.0.0.0",
    "::",
  ];
  for (const text of candidates) {
    const key = signature(parseIp(text)!);
    if (!bySignature.has(key)) bySignature.set(key, text);
  }
  const hostsByRepresentative = new Map<string, ReadonlySet<string>>();
  for (const [key, representative] of bySignature)
    hostsByRepresentative.set(representative, new Set(lists.flatMap((list, i) => (key[i] === "0" ? [...list.hosts] : []))));
  return {
    representatives: [...bySignature.values()],
    representativeOf: (ip) => bySignature.get(signature(ip)),
    hostsDeciding: (representative) => hostsByRepresentative.get(representative) ?? NO_HOSTS,
  };
}
