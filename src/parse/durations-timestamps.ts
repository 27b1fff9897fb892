// Duration and Timestamp, by hand: Date keeps milliseconds only and mishandles years < 100.

/** The largest Duration protojson accepts, in seconds (10,000 years), either way. */
export const MAX_DURATION_SECONDS = 315_576_000_000;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds: Timestamp's protojson range. */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800;
const MAX_TIMESTAMP_SECONDS = 253_402_300_799;

/** Seconds and nanos of a protojson Duration; both ≤ 0 for a negative one, as in protobuf. */
export function parseDuration(text: string): { seconds: number; nanos: number } | undefined {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (match === null) return undefined;
  const [, minus, whole = "", fraction = ""] = match;
  const digits = whole.replace(/^0+(?=\d)/, "");
  if (digits.length > 12) return undefined;
  const seconds = Number(digits);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  const nanos = Number(fraction.padEnd(9, "0"));
  const sign = minus === undefined ? 1 : -1;
  return { seconds: seconds === 0 ? 0 : sign * seconds, nanos: nanos === 0 ? 0 : sign * nanos };
}

/** A protojson Duration as protobuf writes it ("1.5s" → "1.500s", "-0s" → "0s"), or undefined. */
export function canonicalDuration(text: string): string | undefined {
  const duration = parseDuration(text);
  if (duration === undefined) return undefined;
  const negative = duration.seconds < 0 || duration.nanos < 0;
  return `${negative ? "-" : ""}${Math.abs(duration.seconds)}${fractionDigits(Math.abs(duration.nanos))}s`;
}

/** An RFC 3339 timestamp as protobuf writes it: UTC, `Z`, 0/3/6/9 fractional digits; or undefined. */
export function canonicalTimestamp(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", offsetSign, offsetHours = "0", offsetMinutes = "0"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offset = (offsetSign === "-" ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  const unixSeconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  if (unixSeconds < MIN_TIMESTAMP_SECONDS || unixSeconds > MAX_TIMESTAMP_SECONDS) return undefined;

  const days = Math.floor(unixSeconds / 86_400);
  const secondOfDay = unixSeconds - days * 86_400;
  const date = civilFromDays(days);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  return (
    `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}` +
    `T${pad(Math.floor(secondOfDay / 3600))}:${pad(Math.floor((secondOfDay % 3600) / 60))}:${pad(secondOfDay % 60)}` +
    `${fractionDigits(Number(fraction.padEnd(9, "0")))}Z`
  );
}

/** ".500" / ".000001" / ".000000001" style: 0, 3, 6 or 9 digits, as protobuf writes nanos. */
function fractionDigits(nanos: number): string {
  if (nanos === 0) return "";
  const nine = String(nanos).padStart(9, "0");
  if (nine.endsWith("000000")) return `.${nine.slice(0, 3)}`;
  if (nine.endsWith("000")) return `.${nine.slice(0, 6)}`;
  return `.${nine}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z0 = days + 719_468;
  const era = Math.floor(z0 / 146_097);
  const dayOfEra = z0 - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
