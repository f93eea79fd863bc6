/**
 * A minimal ASN.1 DER writer (X.690): just the types an X.509 certificate
 * needs. Each function returns one complete TLV; constructed values take their
 * already encoded children, so a document is built bottom-up with one copy per
 * level.
 */

/** The length octets: short form below 128, long form (0x80 | count, then big-endian) from 128. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`DER length ${length} is not a non-negative integer`)
  if (length < 0x80) return Buffer.from([length])
  const octets: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256)
  return Buffer.from([0x80 | octets.length, ...octets])
}

/** One TLV with a single-octet identifier (every tag here is below 31). */
function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content])
}

/** BOOLEAN: DER spells TRUE as 0xff. */
export function boolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0x00]))
}

/**
 * A non-negative INTEGER, from a safe integer or from unsigned big-endian
 * octets. Leading zero octets are dropped and one is added back when the top
 * bit is set, so the value stays positive and minimally encoded.
 */
export function integer(value: number | Uint8Array): Buffer {
  let octets: Uint8Array
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`DER INTEGER ${value} is not a non-negative safe integer`)
    const digits: number[] = []
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256)
    octets = Uint8Array.from(digits)
  } else {
    let start = 0
    while (start < value.length && value[start] === 0) start++
    octets = value.subarray(start)
  }
  // Zero has no significant octets; DER writes it as one zero octet.
  if (octets.length === 0) return tlv(0x02, Buffer.from([0]))
  return (octets[0] ?? 0) & 0x80 ? tlv(0x02, Buffer.concat([Buffer.from([0]), octets])) : tlv(0x02, octets)
}

/** BIT STRING; `unusedBits` (0–7) counts the padding bits at the end of the last octet. */
export function bitString(octets: Uint8Array, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (octets.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`DER BIT STRING: ${unusedBits} unused bits with ${octets.length} octets`)
  }
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), octets]))
}

/** OCTET STRING. */
export function octetString(octets: Uint8Array): Buffer {
  return tlv(0x04, octets)
}

/** NULL (the parameters of RSA algorithm identifiers; ECDSA's have none). */
export function nul(): Buffer {
  return Buffer.from([0x05, 0x00])
}

/**
 * OBJECT IDENTIFIER from dotted form: the first two arcs share one
 * subidentifier (40 × first + second); each subidentifier is base 128,
 * most significant group first, with the high bit set on all but the last.
 */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => (/^(0|[1-9][0-9]*)$/.test(arc) ? Number(arc) : Number.NaN))
  const [first = -1, second = -1] = arcs
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc)) || first > 2 || (first < 2 && second >= 40)) {
    throw new RangeError(`DER OBJECT IDENTIFIER ${JSON.stringify(dotted)} is not a valid dotted OID`)
  }
  const octets: number[] = []
  for (const subidentifier of [first * 40 + second, ...arcs.slice(2)]) {
    const groups: number[] = [subidentifier % 128]
    // Division, not shifts: arcs may exceed 32 bits.
    for (let rest = Math.floor(subidentifier / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest % 128))
    octets.push(...groups)
  }
  return tlv(0x06, Buffer.from(octets))
}

/** UTF8String. */
export function utf8String(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'))
}

const twoDigits = (value: number): string => String(value).padStart(2, '0')

/**
 * A certificate time as RFC 5280 §4.1.2.5 requires: UTCTime (YYMMDDHHMMSSZ)
 * for 1950 through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise; always
 * UTC, seconds present, fractions of a second dropped.
 */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear()
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) throw new RangeError(`DER time ${String(date)} is out of range (years 0000–9999)`)
  const rest = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join('')
  if (year >= 1950 && year <= 2049) return tlv(0x17, Buffer.from(`${twoDigits(year % 100)}${rest}Z`, 'latin1'))
  return tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}Z`, 'latin1'))
}

/** SEQUENCE of already encoded elements. */
export function sequence(...elements: readonly Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(elements))
}

/**
 * SET OF already encoded elements, sorted by their encodings as DER requires
 * (X.690 §11.6 pads the shorter with zeros, so a prefix sorts first, as
 * Buffer.compare has it).
 */
export function setOf(...elements: readonly Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat([...elements].sort(Buffer.compare)))
}

/** A context-specific EXPLICIT tag ([0] version, [3] extensions): constructed, wrapping one complete TLV. */
export function explicit(tagNumber: number, inner: Uint8Array): Buffer {
  return tlv(0xa0 | contextTag(tagNumber), inner)
}

/**
 * A context-specific IMPLICIT tag on a primitive value: `content` is the
 * value's content octets under [tagNumber] (a dNSName is [2] IMPLICIT
 * IA5String, so its ASCII octets).
 */
export function implicit(tagNumber: number, content: Uint8Array): Buffer {
  return tlv(0x80 | contextTag(tagNumber), content)
}

function contextTag(tagNumber: number): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new RangeError(`DER context tag [${tagNumber}] needs the high-tag-number form`)
  return tagNumber
}

