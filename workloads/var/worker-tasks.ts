/**
 * Task module of the VaR workload's worker threads: `setup` receives the simulation, this worker's chunk
 * range and the shared loss buffer once; `simulate` fills that range of the buffer for one estimate.
 */
import type { WorkerTaskContext } from '../harness/worker-pool.js'
import { type ChunkSimulator, type SimulationSpec, type VarVariant, createChunkSimulator } from './engine.js'

let simulator: ChunkSimulator | undefined
let shared: Float64Array | undefined

export const tasks = {
  setup(
    payload: { variant: VarVariant; spec: SimulationSpec; chunkFrom: number; chunkTo: number; losses: Float64Array },
    _ctx: WorkerTaskContext,
  ): void {
    simulator = createChunkSimulator(payload.variant, payload.spec, payload.chunkFrom, payload.chunkTo)
    shared = payload.losses
  },
  simulate(_payload: undefined, _ctx: WorkerTaskContext): void {
    if (!simulator || !shared) throw new Error('var worker: simulate before setup')
    simulator.simulate(shared)
  },
}
