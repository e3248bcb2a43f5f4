// Preloaded (NODE_OPTIONS=--require) into a command profiled by `hotpath profile --profile heap`:
// writes one heap snapshot when the process exits normally. CommonJS so it loads in any Node >= 18.
'use strict'
const v8 = require('node:v8')
const path = require('node:path')
const dir = process.env.HOTPATH_HEAP_SNAPSHOT_DIR
if (dir) {
  let written = false
  process.on('exit', () => {
    if (written) return
    written = true
    try {
      v8.writeHeapSnapshot(path.join(dir, `heap-end-${process.pid}.heapsnapshot`))
    } catch (err) {
      process.stderr.write(`hotpath: heap snapshot at exit failed: ${err && err.message}\n`)
    }
  })
}
