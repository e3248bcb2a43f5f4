/**
 * V8 `--prof` tick logs as 0x collects them: `node --prof` writes `isolate-*.log`, and
 * `node --prof-process --preprocess isolate-*.log` (what 0x runs, lib/v8-log-to-ticks.js) turns it into
 * JSON: `code` (every code object: JS functions as `name url:line:column` with a tier `kind`, C++
 * symbols, builtins, shared libraries), `ticks` (`tm` in µs, `vm` state, `s` = code index and pc offset
 * pairs, innermost frame first) and `functions`. Each tick becomes a sample at its time; a tick without
 * frames is `(program)`, and one in the GC state `(garbage collector)`. Frames are resolved as 0x does
 * (code index → code entry; unknown indexes are dropped). The raw isolate log needs the code map replayed
 * from its code-creation/move events: convert it with `--prof-process --preprocess` (the message says so).
 */
import { ProfileFormatError } from './cpuprofile.js'
import type { CpuProfileRaw } from './cpuprofile.js'
import { type SourceFrame, createStackProfileWriter, parseV8FrameName } from './stack-profile.js'

/** V8's StateTag for the garbage collector (src/execution/vm-state.h; 1 in every version since 2012). */
const VM_GC = 1

export function isV8TickJson(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const p = x as Record<string, unknown>
  return Array.isArray(p.code) && Array.isArray(p.ticks)
}

/** The first line of an isolate log: `v8-version,...` (V8 ≥ 6) or `shared-library,...`/`code-creation,...`. */
export function looksLikeV8IsolateLog(head: string): boolean {
  return /^(v8-version|shared-library|code-creation|profiler|tick),/.test(head.trimStart())
}

const fail = (message: string): never => {
  throw new ProfileFormatError(`V8 tick log: ${message}`)
}

function frameOfCode(code: Record<string, unknown>): SourceFrame {
  const name = typeof code.name === 'string' ? code.name : ''
  if (code.type === 'JS') {
    const f = parseV8FrameName(name)
    return { ...f, name: f.name }
  }
  const type = typeof code.type === 'string' ? code.type : 'CODE'
  const kind = typeof code.kind === 'string' ? `:${code.kind}` : ''
  // Native frames keep their symbol as the name, tagged as 0x tags them ([CPP], [SHARED_LIB], [CODE:Builtin]).
  return { name: `${name} [${type}${kind}]`, url: '', line: 0, column: 0 }
}

/** Converts the preprocessed tick log into a modern `.cpuprofile`. */
export function convertV8TickJson(x: unknown): CpuProfileRaw {
  if (!isV8TickJson(x)) fail('expected the JSON of `node --prof-process --preprocess` (with `code` and `ticks`)')
  const p = x as { code: unknown[]; ticks: unknown[] }
  const writer = createStackProfileWriter()
  const frameOf = new Int32Array(p.code.length).fill(-1)
  const frameIndex = (codeIndex: number): number => {
    if (!(codeIndex >= 0 && codeIndex < p.code.length)) return -1
    let f = frameOf[codeIndex] as number
    if (f < 0) {
      const code = p.code[codeIndex]
      if (typeof code !== 'object' || code === null) return -1
      f = writer.frame(frameOfCode(code as Record<string, unknown>))
      frameOf[codeIndex] = f
    }
    return f
  }
  let first = Infinity
  let last = -Infinity
  const stack: number[] = []
  for (let i = 0; i < p.ticks.length; i++) {
    const tick = p.ticks[i] as Record<string, unknown> | null
    if (typeof tick !== 'object' || tick === null || typeof tick.tm !== 'number' || !Array.isArray(tick.s)) {
      fail(`tick ${i} needs a time \`tm\` and a stack \`s\``)
    }
    const t = tick as { tm: number; vm?: unknown; s: unknown[] }
    stack.length = 0
    // `s` lists code index / pc offset pairs, innermost first: the even positions, outermost taken first.
    for (let k = (t.s.length - 1) & ~1; k >= 0; k -= 2) {
      const f = frameIndex(Number(t.s[k]))
      if (f >= 0) stack.push(f)
    }
    let node: number
    if (t.vm === VM_GC)
      node =
        stack.length === 0
          ? writer.gcNode()
          : writer.child(writer.node(stack), writer.frame({ name: '(garbage collector)', url: '', line: 0, column: 0 }))
    else node = stack.length === 0 ? writer.programNode() : writer.node(stack)
    writer.sample(node, t.tm)
    if (t.tm < first) first = t.tm
    if (t.tm > last) last = t.tm
  }
  if (writer.sampleCount === 0) fail('the log has no ticks (was the program run with --prof for long enough?)')
  return writer.finish(first, last)
}
