/**
 * One side of an L2 book for the columnar reader: price (u32 ticks) → size (u32), an open-addressing
 * hash table in typed arrays with linear probing and backward-shift deletion, so setting and removing
 * levels allocates nothing. A stored size is never 0 (size 0 removes a level), so 0 marks an empty slot.
 */
export class LevelMap {
  private keys: Uint32Array
  private sizes: Uint32Array
  private mask: number
  private shift: number
  /** Levels stored. */
  count = 0

  constructor(capacityPowerOfTwo = 64) {
    const bits = Math.max(3, Math.ceil(Math.log2(capacityPowerOfTwo)))
    this.keys = new Uint32Array(1 << bits)
    this.sizes = new Uint32Array(1 << bits)
    this.mask = (1 << bits) - 1
    this.shift = 32 - bits
  }

  /** Fibonacci hashing: the top bits of key × 2³²/φ. */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift
  }

  get(price: number): number {
    for (let i = this.home(price); this.sizes[i] !== 0; i = (i + 1) & this.mask) {
      if (this.keys[i] === price) return this.sizes[i]!
    }
    return 0
  }

  /** Sets the size at `price`; a size of 0 removes the level. */
  set(price: number, size: number): void {
    if (size === 0) {
      this.remove(price)
      return
    }
    let i = this.home(price)
    while (this.sizes[i] !== 0) {
      if (this.keys[i] === price) {
        this.sizes[i] = size
        return
      }
      i = (i + 1) & this.mask
    }
    this.keys[i] = price
    this.sizes[i] = size
    if (++this.count * 2 > this.sizes.length) this.grow()
  }

  remove(price: number): void {
    let i = this.home(price)
    while (this.keys[i] !== price || this.sizes[i] === 0) {
      if (this.sizes[i] === 0) return
      i = (i + 1) & this.mask
    }
    // Backward-shift deletion (Knuth 6.4, Algorithm R): pull later entries of the probe run into the hole
    // unless their home slot lies cyclically in (hole, j], so no tombstones are needed.
    let j = i
    for (;;) {
      j = (j + 1) & this.mask
      if (this.sizes[j] === 0) break
      const k = this.home(this.keys[j]!)
      const stays = i <= j ? i < k && k <= j : i < k || k <= j
      if (stays) continue
      this.keys[i] = this.keys[j]!
      this.sizes[i] = this.sizes[j]!
      i = j
    }
    this.sizes[i] = 0
    this.count--
  }

  clear(): void {
    this.sizes.fill(0)
    this.count = 0
  }

  /** [price, size] pairs in slot order (callers sort). */
  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = []
    for (let i = 0; i < this.sizes.length; i++) if (this.sizes[i] !== 0) out.push([this.keys[i]!, this.sizes[i]!])
    return out
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldSizes = this.sizes
    const capacity = oldSizes.length * 2
    this.keys = new Uint32Array(capacity)
    this.sizes = new Uint32Array(capacity)
    this.mask = capacity - 1
    this.shift--
    this.count = 0
    for (let i = 0; i < oldSizes.length; i++) if (oldSizes[i] !== 0) this.set(oldKeys[i]!, oldSizes[i]!)
  }
}
