/**
 * Simulates a range of PRNG chunks with one VaR variant: what the calling thread (workers = 1) and each
 * worker thread (workers > 1) execute. Losses land at their path index, so the split changes nothing.
 */
import { simulateChunksNaive } from './naive.js'
import { flattenPortfolio, simulateChunksInto } from './optimized.js'
import type { Portfolio } from './portfolio.js'
import { PATHS_PER_CHUNK } from './risk.js'

export const VAR_VARIANTS = ['naive', 'optimized'] as const
export type VarVariant = (typeof VAR_VARIANTS)[number]

export function isVarVariant(v: string): v is VarVariant {
  return (VAR_VARIANTS as readonly string[]).includes(v)
}

/** Everything a simulator needs; plain data for worker threads. */
export interface SimulationSpec {
  seed: number
  portfolio: Portfolio
  paths: number
  horizonDays: number
}

/** Simulates chunks [chunkFrom, chunkTo) into a loss buffer, as many times as asked. */
export interface ChunkSimulator {
  simulate(losses: Float64Array): void
}

export function createChunkSimulator(variant: VarVariant, spec: SimulationSpec, chunkFrom: number, chunkTo: number): ChunkSimulator {
  const { seed, portfolio, paths, horizonDays } = spec
  if (variant === 'naive') {
    return {
      simulate(losses) {
        const part = simulateChunksNaive(seed, portfolio, paths, horizonDays, chunkFrom, chunkTo)
        losses.set(part, chunkFrom * PATHS_PER_CHUNK)
      },
    }
  }
  const model = flattenPortfolio(portfolio)
  return { simulate: (losses) => simulateChunksInto(seed, model, paths, horizonDays, chunkFrom, chunkTo, losses) }
}
