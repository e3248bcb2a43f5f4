import { describe, expect, it } from 'vitest'
import { unpackedPath } from '../../../profilers/launch.js'

describe('unpackedPath', () => {
  it('maps files inside app.asar to the unpacked copy a plain Node can read', () => {
    expect(unpackedPath('/opt/Hotpath/resources/app.asar/dist/workloads/harness/child.js')).toBe('/opt/Hotpath/resources/app.asar.unpacked/dist/workloads/harness/child.js')
    expect(unpackedPath('C:\\Program Files\\Hotpath\\resources\\app.asar\\dist\\child.js')).toBe('C:\\Program Files\\Hotpath\\resources\\app.asar.unpacked\\dist\\child.js')
  })

  it('leaves paths outside an asar alone', () => {
    expect(unpackedPath('/work/hotpath/dist/workloads/harness/child.js')).toBe('/work/hotpath/dist/workloads/harness/child.js')
    expect(unpackedPath('/home/a/app.asarx/child.js')).toBe('/home/a/app.asarx/child.js')
  })
})
