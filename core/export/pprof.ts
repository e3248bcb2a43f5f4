/**
 * Exports a call tree as a pprof profile (github.com/google/pprof proto/profile.proto) with the
 * `pprof-format` encoder, for `go tool pprof`, Pyroscope and Grafana. Returns the uncompressed protobuf:
 * pprof files are gzipped, which the caller does (core has no zlib).
 */
import { Function as PprofFunction, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format'
import { type CallTree, getFunctionName } from '../model/call-tree.js'

/**
 * Builds the pprof profile. Sample types follow Go's CPU profiles: `samples/count` then `cpu/nanoseconds`
 * (default), or `samples/count` then `space/bytes` for allocation profiles. One pprof sample per call path
 * with self value; one function and one location per profile function (V8 gives a function's start line,
 * not the line of each call, so a location is the function at its start line).
 */
export function buildPprofProfile(tree: CallTree): Profile {
  const { nodes, functions } = tree
  const strings = new StringTable()
  const isCpu = tree.unit === 'ms'
  const valueType = isCpu
    ? { type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }
    : { type: strings.dedup('space'), unit: strings.dedup('bytes') }
  const sampleType = [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }), new ValueType(valueType)]

  const pprofFunctions: PprofFunction[] = []
  const locations: Location[] = []
  const locationOf = new Int32Array(functions.length)
  const locationId = (fn: number): number => {
    if (locationOf[fn] === 0) {
      const id = locations.length + 1
      locationOf[fn] = id
      const name = strings.dedup(getFunctionName(functions, fn))
      const line = functions.line[fn] as number
      pprofFunctions.push(
        new PprofFunction({ id, name, systemName: name, filename: strings.dedup(functions.url[fn] as string), startLine: line }),
      )
      locations.push(new Location({ id, line: [{ functionId: id, line }] }))
    }
    return locationOf[fn] as number
  }

  const samples: Sample[] = []
  for (let i = 0; i < nodes.length; i++) {
    const self = nodes.self[i] as number
    const count = nodes.selfSamples[i] as number
    if (self <= 0 && count === 0) continue
    // pprof stacks list the leaf first; the root pseudo-frame is left out unless the sample is at the root.
    const stack: number[] = []
    for (let j = i; j > 0; j = nodes.parent[j] as number) stack.push(locationId(nodes.func[j] as number))
    if (i === 0) stack.push(locationId(nodes.func[0] as number))
    samples.push(new Sample({ locationId: stack, value: [count, Math.round(isCpu ? self * 1e6 : self)] }))
  }

  const meta = tree.meta
  const durationNanos =
    meta.startTimeUs !== undefined && meta.endTimeUs !== undefined ? Math.round((meta.endTimeUs - meta.startTimeUs) * 1000) : 0
  return new Profile({
    sampleType,
    sample: samples,
    location: locations,
    function: pprofFunctions,
    stringTable: strings,
    durationNanos,
    ...(isCpu
      ? { periodType: valueType, period: Math.round((meta.meanIntervalMs ?? 0) * 1e6), defaultSampleType: valueType.type }
      : { periodType: valueType, defaultSampleType: valueType.type }),
  })
}

/** The encoded (uncompressed) pprof protobuf of a tree; gzip it before writing a `.pb.gz` file. */
export function toPprof(tree: CallTree): Uint8Array {
  return buildPprofProfile(tree).encode()
}
