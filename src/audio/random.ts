/** Seeded randomness for the perturbations: the same seed gives the same noise on every machine. */

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32): repeatable, unlike Math.random. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal number from two uniform ones (Box–Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Fills `target` with standard normal numbers, two per logarithm (Marsaglia's polar method: no
 * trigonometry, which makes it several times cheaper per sample than `gaussian`).
 */
export function fillGaussian(target: Float64Array, random: () => number): Float64Array {
  for (let i = 0; i < target.length; i += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * random() - 1;
      v = 2 * random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    target[i] = u * scale;
    if (i + 1 < target.length) target[i + 1] = v * scale;
  }
  return target;
}

/**
 * A seed of its own for one use of a run's seed (`noise`, `packet_loss`, ...), so that adding one
 * condition to a variant never changes the random numbers another condition draws. FNV-1a over the
 * seed and the label, then a final avalanche.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193);
  };
  for (let shift = 0; shift < 32; shift += 8) mix((seed >>> shift) & 0xff);
  for (let i = 0; i < label.length; i++) mix(label.charCodeAt(i) & 0xff);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
