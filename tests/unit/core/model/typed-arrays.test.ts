import { describe, expect, it } from 'vitest'
import { grownTo, resized } from '../../../../core/model/typed-arrays.js'

describe('typed-array columns', () => {
  it('resized copies into a new array of the same kind and size', () => {
    const a = Float64Array.from([1.5, 2.5])
    const b = resized(a, 5)
    expect(b).toBeInstanceOf(Float64Array)
    expect(Array.from(b)).toEqual([1.5, 2.5, 0, 0, 0])
    expect(b).not.toBe(a)
  })

  it('grownTo keeps an array with room and doubles one without, from empty too', () => {
    const a = Int32Array.from([7, 8, 9, 10])
    expect(grownTo(a, 4)).toBe(a)
    const b = grownTo(a, 5)
    expect(b).toBeInstanceOf(Int32Array)
    expect(b.length).toBe(8)
    expect(Array.from(b.subarray(0, 4))).toEqual([7, 8, 9, 10])
    expect(grownTo(a, 33).length).toBe(64)
    expect(grownTo(new Uint32Array(0), 3).length).toBe(4)
  })
})
