// Random ids for records the browser names itself (a contact's id, which is also
// its idempotency key: a retry with the same id is harmless).

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * A random RFC 4122 version 4 UUID ("xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx",
 * V one of 8, 9, a, b), lower-case, from `crypto.getRandomValues`. Not
 * `crypto.randomUUID`: browsers offer that only in secure contexts (HTTPS or
 * localhost), while getRandomValues exists on every origin. There is no
 * fallback to Date.now() or Math.random(): ids from those can collide.
 */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40 // version 4
  b[8] = (b[8] & 0x3f) | 0x80 // variant 10xx (RFC 4122)
  const h = Array.from(b, (x) => HEX[x])
  return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h[10]}${h[11]}${h[12]}${h[13]}${h[14]}${h[15]}`
}
