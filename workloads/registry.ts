/**
 * The list of built-in workloads: the CLI, the service, the UI and the tests all read it from here.
 */
import type { WorkloadDescriptor } from '../core/model/workload.js'
import type { WorkloadModule } from './types.js'
import { workload as backtest } from './backtest/index.js'
import { workload as eventStream } from './event-stream/index.js'
import { workload as marketData } from './market-data/index.js'
import { workload as orderValidation } from './order-validation/index.js'
import { workload as orderbook } from './orderbook/index.js'
import { workload as portfolio } from './portfolio/index.js'
import { workload as serialization } from './serialization/index.js'
import { workload as slippage } from './slippage/index.js'
import { workload as symbolCollection } from './symbol-collection/index.js'
import { workload as valueAtRisk } from './var/index.js'
import { workload as selftest } from './selftest/index.js'

/** In the order of DESIGN.md's table; the harness self-test only when HOTPATH_SELFTEST=1 (tests). */
export const workloadModules: readonly WorkloadModule[] = [
  orderbook,
  slippage,
  serialization,
  marketData,
  backtest,
  valueAtRisk,
  portfolio,
  eventStream,
  orderValidation,
  symbolCollection,
  ...(process.env.HOTPATH_SELFTEST === '1' ? [selftest] : []),
]

export function listWorkloadDescriptors(): WorkloadDescriptor[] {
  return workloadModules.map((m) => m.descriptor)
}

export function getWorkloadDescriptor(id: string): WorkloadDescriptor | undefined {
  return workloadModules.find((m) => m.descriptor.id === id)?.descriptor
}

export async function getWorkloadModule(id: string): Promise<WorkloadModule | undefined> {
  return workloadModules.find((m) => m.descriptor.id === id)
}
