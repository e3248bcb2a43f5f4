import { describe, expect, it } from 'vitest'
import { runRequestSchema } from '../../../../core/api/schemas.js'
import { type WorkloadDescriptor, resolveParams } from '../../../../core/model/workload.js'
import { coherentCapturePatch, createDraft, mapServerIssues, parseTags, validateDraft } from '../../../../renderer/src/features/launch/launch-form.js'
import { fakeWorkloads } from '../../../../renderer/dev/fake-workbench.js'

const orderbook = fakeWorkloads.find((w) => w.id === 'orderbook') as WorkloadDescriptor
const serialization = fakeWorkloads.find((w) => w.id === 'serialization') as WorkloadDescriptor

describe('launch draft', () => {
  it('starts from the descriptor defaults and is valid as is', () => {
    const draft = createDraft(orderbook)
    expect(draft.variant).toBe('heap')
    expect(draft.params).toEqual({ levels: '500', updates: '1000', tickSize: '0.01', side: 'both' })
    const { request, errors } = validateDraft(orderbook, draft)
    expect(errors).toEqual({})
    expect(request).toEqual({
      workload: 'orderbook',
      variant: 'heap',
      params: { levels: 500, updates: 1000, tickSize: 0.01, side: 'both' },
      durationMs: 3000,
      warmupMs: 500,
      profile: ['cpu'],
      samplingIntervalUs: 1000,
    })
    expect(runRequestSchema.safeParse(request).success).toBe(true)
    // The engine's own check of the parameters accepts what the form sends.
    expect(resolveParams(orderbook, request?.params ?? {}).ok).toBe(true)
  })

  it("reports parameter problems in parseParamValue's words, with the accepted range", () => {
    const draft = { ...createDraft(orderbook), params: { levels: '5', updates: '1.5', tickSize: 'abc', side: 'middle' } }
    const { request, errors } = validateDraft(orderbook, draft)
    expect(request).toBeNull()
    expect(errors['param.levels']).toBe('5 is out of range: expected an integer from 10 to 10000')
    expect(errors['param.updates']).toBe('"1.5" is not an integer: expected an integer from 1 to 1000000')
    expect(errors['param.tickSize']).toBe('"abc" is not a number: expected a number from 0.0001 to 10 USD')
    expect(errors['param.side']).toBe('"middle" is not a known value: expected one of bid, ask, both')
  })

  it('accepts underscores in numbers as the CLI does', () => {
    const draft = { ...createDraft(orderbook), params: { ...createDraft(orderbook).params, updates: '100_000' } }
    expect(validateDraft(orderbook, draft).request?.params?.updates).toBe(100_000)
  })

  it('sends booleans as booleans', () => {
    const draft = { ...createDraft(serialization), params: { messages: '10', validate: 'false' } }
    expect(validateDraft(serialization, draft).request?.params).toEqual({ messages: 10, validate: false })
  })

  it('converts seconds to the milliseconds the API takes, without float noise', () => {
    const draft = { ...createDraft(orderbook), durationS: '0.1', warmup: '0.3', timeoutS: '90' }
    const { request } = validateDraft(orderbook, draft)
    expect(request?.durationMs).toBe(100)
    expect(request?.warmupMs).toBe(300)
    expect(request?.timeoutMs).toBe(90_000)
  })

  it('sends iterations instead of a duration, and warm-up iterations instead of time', () => {
    const draft = {
      ...createDraft(orderbook),
      measure: 'iterations' as const,
      iterations: '2000',
      warmupMode: 'iterations' as const,
      warmup: '50',
    }
    const { request } = validateDraft(orderbook, draft)
    expect(request?.iterations).toBe(2000)
    expect(request?.durationMs).toBeUndefined()
    expect(request?.warmupIterations).toBe(50)
    expect(request?.warmupMs).toBeUndefined()
  })

  it('reports range limits from the request schema in the units of the form', () => {
    const draft = { ...createDraft(orderbook), durationS: '4000', warmup: '-1', seed: '1.5', samplingIntervalUs: '5' }
    const { errors } = validateDraft(orderbook, draft)
    expect(errors.durationS).toBe('must be at most 3,600 s')
    expect(errors.warmup).toBe('must be at least 0 s')
    expect(errors.seed).toMatch(/not a whole number/)
    expect(errors.samplingIntervalUs).toBe('must be at least 10 µs')
  })

  it('refuses a zero duration and an empty one', () => {
    expect(validateDraft(orderbook, { ...createDraft(orderbook), durationS: '0' }).errors.durationS).toBe('must be more than 0 s')
    expect(validateDraft(orderbook, { ...createDraft(orderbook), durationS: ' ' }).errors.durationS).toMatch(/how long/)
  })

  it('leaves optional fields out when empty and checks the sampling interval only with a CPU profile', () => {
    const draft = { ...createDraft(orderbook), warmup: '', profile: [], samplingIntervalUs: 'junk' }
    const { request, errors } = validateDraft(orderbook, draft)
    expect(errors).toEqual({})
    expect(request).not.toHaveProperty('warmupMs')
    expect(request).not.toHaveProperty('profile')
    expect(request).not.toHaveProperty('samplingIntervalUs')
  })

  it('adds heap snapshots, runtime, label and tags', () => {
    const draft = {
      ...createDraft(orderbook),
      heapStart: true,
      heapEnd: true,
      runtime: ' /opt/node22/bin/node ',
      label: ' try 2 ',
      tags: 'a, b  a',
    }
    const { request } = validateDraft(orderbook, draft)
    expect(request).toMatchObject({ heapSnapshots: ['start', 'end'], runtime: '/opt/node22/bin/node', label: 'try 2', tags: ['a', 'b'] })
  })

  it('refuses an unknown variant and over-long tags', () => {
    const { errors } = validateDraft(orderbook, { ...createDraft(orderbook), variant: 'btree', tags: 'x'.repeat(61) })
    expect(errors.variant).toBe('choose one of heap, sorted')
    expect(errors.tags).toMatch(/1 to 60 characters/)
  })

  it('parses tags separated by commas or spaces', () => {
    expect(parseTags(' a,b  c ,, a ')).toEqual(['a', 'b', 'c'])
    expect(parseTags('')).toEqual([])
  })
})

describe('server issues', () => {
  it('places the engine issues next to their fields', () => {
    const errors = mapServerIssues([
      'params.levels: 5 is out of range (valid: an integer from 10 to 10000)',
      '0.durationMs: Too big',
      '0.params.updates: not an integer',
      'iterations and durationMs are exclusive: give one',
    ])
    expect(errors['param.levels']).toBe('5 is out of range (valid: an integer from 10 to 10000)')
    expect(errors.durationS).toBe('Too big')
    expect(errors['param.updates']).toBe('not an integer')
    expect(errors.request).toBe('iterations and durationMs are exclusive: give one')
  })
})

describe('coherentCapturePatch', () => {
  const base = { profile: ['cpu' as const], heapStart: false, heapEnd: false }
  it('ticks "at end" when the heap capture is ticked, and clears both when it is unticked', () => {
    expect(coherentCapturePatch(base, { profile: ['cpu', 'heap'] })).toEqual({ profile: ['cpu', 'heap'], heapStart: false, heapEnd: true })
    expect(coherentCapturePatch({ profile: ['cpu', 'heap'], heapStart: true, heapEnd: true }, { profile: ['cpu'] })).toEqual({
      profile: ['cpu'],
      heapStart: false,
      heapEnd: false,
    })
  })
  it('ticks the heap capture with a snapshot box and unticks it with the last one', () => {
    expect(coherentCapturePatch(base, { heapStart: true })).toEqual({ profile: ['cpu', 'heap'], heapStart: true, heapEnd: false })
    expect(coherentCapturePatch({ profile: ['cpu', 'heap'], heapStart: true, heapEnd: false }, { heapStart: false })).toEqual({
      profile: ['cpu'],
      heapStart: false,
      heapEnd: false,
    })
  })
  it('leaves other changes alone', () => {
    expect(coherentCapturePatch(base, { profile: ['cpu', 'alloc'] })).toEqual({ profile: ['cpu', 'alloc'] })
  })
})
