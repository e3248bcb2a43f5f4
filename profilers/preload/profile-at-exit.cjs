// Preloaded (NODE_OPTIONS=--require) into every Node process of a command run by `hotpath profile`:
// starts the CPU profiler and/or the sampling heap profiler at start-up through an in-process inspector
// session, and at exit writes the profiles and/or a heap snapshot into the folders named by the
// environment. An in-process session answers synchronously, so this works inside the 'exit' handler.
// CommonJS and no dependencies, so it loads in any Node >= 18. (Node 20 refuses --cpu-prof and
// --heap-prof in NODE_OPTIONS, which is why this exists.)
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const v8 = require('node:v8')
const { Session } = require('node:inspector')

const cpuDir = process.env.HOTPATH_CPU_PROFILE_DIR
const cpuInterval = Number(process.env.HOTPATH_CPU_PROFILE_INTERVAL_US) || 1000
const allocDir = process.env.HOTPATH_ALLOC_PROFILE_DIR
const heapDir = process.env.HOTPATH_HEAP_SNAPSHOT_DIR

if (cpuDir || allocDir || heapDir) {
  const session = cpuDir || allocDir ? new Session() : undefined
  const post = (method, params) => {
    let result
    let error
    session.post(method, params || {}, (err, res) => {
      error = err
      result = res
    })
    if (error) throw error
    return result
  }
  const warn = (what, err) => process.stderr.write(`hotpath: ${what} failed: ${err && err.message}\n`)
  if (session) {
    session.connect()
    try {
      if (cpuDir) {
        post('Profiler.enable')
        post('Profiler.setSamplingInterval', { interval: cpuInterval })
        post('Profiler.start')
      }
      if (allocDir) {
        post('HeapProfiler.enable')
        post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
      }
    } catch (err) {
      warn('starting the profiler', err)
    }
  }
  let written = false
  process.on('exit', () => {
    if (written) return
    written = true
    const name = (prefix, ext) => `${prefix}-${process.pid}${ext}`
    if (cpuDir) {
      try {
        const { profile } = post('Profiler.stop')
        fs.writeFileSync(path.join(cpuDir, name('cpu', '.cpuprofile')), JSON.stringify(profile))
      } catch (err) {
        warn('writing the CPU profile', err)
      }
    }
    if (allocDir) {
      try {
        const { profile } = post('HeapProfiler.stopSampling')
        fs.writeFileSync(path.join(allocDir, name('alloc', '.heapprofile')), JSON.stringify(profile))
      } catch (err) {
        warn('writing the allocation profile', err)
      }
    }
    if (heapDir) {
      try {
        v8.writeHeapSnapshot(path.join(heapDir, name('heap-end', '.heapsnapshot')))
      } catch (err) {
        warn('the heap snapshot at exit', err)
      }
    }
  })
}
