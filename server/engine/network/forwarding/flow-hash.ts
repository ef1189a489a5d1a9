/**
 * Deterministic hashes that pick a backend: murmur3's mixing over 32-bit words, integer-only
 * (no allocation), so the same flow always reaches the same backend and the model is
 * reproducible. `flowHash` spreads by the 5-tuple; `clientIpHash` by the source address only,
 * which is what sessionAffinity ClientIP promises (every connection from one client to one
 * backend, while the backend set is unchanged).
 */

function mix(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  const y = h ^ x;
  return (Math.imul((y << 13) | (y >>> 19), 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uint32 hash of (source address, source port, destination address, destination port, protocol code). */
export function flowHash(srcIp: number, srcPort: number, dstIp: number, dstPort: number, protocol: number): number {
  let h = mix(0x2f1b3c4d ^ protocol, srcIp);
  h = mix(h, dstIp);
  h = mix(h, ((srcPort & 0xffff) << 16) | (dstPort & 0xffff));
  return finish(h);
}

/** A uint32 hash of the source address alone (sessionAffinity ClientIP). */
export function clientIpHash(srcIp: number): number {
  return finish(mix(0x5bd1e995, srcIp));
}
