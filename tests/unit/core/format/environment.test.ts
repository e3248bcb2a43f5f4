import { describe, expect, it } from 'vitest'
import { REDACTED, formatEnvironmentMarkdown, redactEnvironment, redactText } from '../../../../core/format/environment.js'
import { environmentSchema } from '../../../../core/model/environment.js'
import { testEnvironment } from '../../../helpers/make-run.js'

describe('redactEnvironment', () => {
  const env = { ...testEnvironment, machine: { ...testEnvironment.machine, machineId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }, network: [{ iface: 'wlan0', mac: 'aa:bb:cc:dd:ee:ff', ip4: '10.1.2.3', ip6: 'fe80::1ff:fe23:4567:890a', ssid: 'HomeNet' }], unavailable: ['cpu.governor: /home/alice/.config unreadable on build-host-7'] }
  const redacted = redactEnvironment(env)
  const text = JSON.stringify(redacted)

  it('removes every identifier: host, user, serials, UUIDs, machine id, MAC, IP, SSID, home paths', () => {
    for (const secret of ['build-host-7', 'alice', 'SN-123456', '3d1219c7-c4c5-404a-aa1f-6d2a48adfda4', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'aa:bb:cc:dd:ee:ff', '10.1.2.3', 'fe80::1ff:fe23:4567:890a', 'HomeNet', '/home/alice']) {
      expect(text, secret).not.toContain(secret)
    }
    expect(redacted.redacted).toBe(true)
    expect(redacted.os.hostname).toBe(REDACTED)
    expect(redacted.network?.[0]).toEqual({ iface: 'wlan0', mac: REDACTED, ip4: REDACTED, ip6: REDACTED, ssid: REDACTED })
    expect(environmentSchema.safeParse(redacted).success).toBe(true)
  })

  it('keeps every fact that describes performance', () => {
    expect(redacted.cpu).toEqual(env.cpu)
    expect(redacted.memory).toEqual(env.memory)
    expect(redacted.os.kernel).toBe(env.os.kernel)
    expect(redacted.runtime.node).toBe(env.runtime.node)
    expect(redacted.machine?.hypervisor).toBe('KVM')
  })

  it('scrubs identifiers inside free text', () => {
    expect(redactText('at /home/bob/app/x.js on 192.168.1.20 (de:ad:be:ef:00:01)')).toBe(`at /home/${REDACTED}/app/x.js on ${REDACTED} (${REDACTED})`)
    expect(redactText('C:\\Users\\Carol\\work\\a.js')).toBe(`C:\\Users\\${REDACTED}\\work\\a.js`)
    expect(redactText('/Users/dave/p.js')).toBe(`/Users/${REDACTED}/p.js`)
    expect(redactText('build 3.4.5 took 1.2 s')).toBe('build 3.4.5 took 1.2 s')
  })
})

describe('formatEnvironmentMarkdown', () => {
  it('makes a pasteable table that says whether it is redacted', () => {
    const md = formatEnvironmentMarkdown(redactEnvironment(testEnvironment))
    expect(md).toMatch(/^## Hotpath environment report/)
    expect(md).toContain('| CPU | AMD EPYC 7B13 |')
    expect(md).toContain('| Cores | 2 logical, 2 physical |')
    expect(md).toContain('| Memory | 24.0 GiB (20.0 GiB free) |')
    expect(md).toContain('identifying facts redacted')
    expect(md).not.toContain('alice')
    const raw = formatEnvironmentMarkdown(testEnvironment)
    expect(raw).toContain('**not redacted**')
    expect(raw).toContain('build-host-7')
  })
})
