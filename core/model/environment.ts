/**
 * The environment a run was measured on: OS, CPU, memory, runtime and machine state at start.
 * Captured by profilers/environment.ts; compared by core/compare; redacted for reports.
 */
import { z } from 'zod'

export const environmentSchema = z.object({
  /** When these facts were read. */
  capturedAt: z.string(),
  os: z.object({
    platform: z.string(),
    distro: z.string(),
    release: z.string(),
    kernel: z.string(),
    arch: z.string(),
    /** Host name; "[redacted]" in redacted reports. */
    hostname: z.string().optional(),
  }),
  cpu: z.object({
    brand: z.string(),
    manufacturer: z.string(),
    /** Logical cores. */
    cores: z.number(),
    physicalCores: z.number(),
    speedGHz: z.number(),
    speedMaxGHz: z.number().optional(),
    cacheBytes: z.object({ l1d: z.number(), l2: z.number(), l3: z.number() }).partial().optional(),
    governor: z.string().optional(),
    flags: z.string().optional(),
  }),
  memory: z.object({
    totalBytes: z.number(),
    /** Free memory at capture, in bytes. */
    freeBytes: z.number().optional(),
  }),
  runtime: z.object({
    node: z.string(),
    v8: z.string(),
    /** Path of the node binary that ran the workload. */
    execPath: z.string().optional(),
    /** Electron or plain node. */
    name: z.string().optional(),
  }),
  machine: z
    .object({
      virtual: z.boolean().optional(),
      hypervisor: z.string().optional(),
      container: z.string().optional(),
      model: z.string().optional(),
      manufacturer: z.string().optional(),
      serial: z.string().optional(),
      uuid: z.string().optional(),
      /** OS machine id (/etc/machine-id, IOPlatformUUID): identifying, redacted by default. */
      machineId: z.string().optional(),
      /**
       * HMAC-SHA256 of the machine id under a per-install salt (profilers/machine-fingerprint.ts): stable for
       * one machine, meaningless elsewhere, not reversible. Kept when the rest is redacted. Added in run.json v2.
       */
      fingerprint: z.string().optional(),
    })
    .optional(),
  power: z.object({ hasBattery: z.boolean(), onBattery: z.boolean().optional(), percent: z.number().optional() }).optional(),
  /** 1, 5 and 15 minute load averages at start. */
  loadAvg: z.array(z.number()).optional(),
  /** True when an x64 binary runs under Rosetta 2 on Apple silicon. */
  rosetta: z.boolean().optional(),
  network: z
    .array(
      z.object({
        iface: z.string(),
        mac: z.string().optional(),
        ip4: z.string().optional(),
        ip6: z.string().optional(),
        ssid: z.string().optional(),
      }),
    )
    .optional(),
  user: z.object({ name: z.string().optional(), home: z.string().optional() }).optional(),
  /** True when identifying facts have been replaced by "[redacted]". */
  redacted: z.boolean(),
  /** Facts that could not be read, and why (data, not errors). */
  unavailable: z.array(z.string()).optional(),
})
export type EnvironmentSnapshot = z.infer<typeof environmentSchema>
