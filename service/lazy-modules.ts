/**
 * The engine's heavier pieces, loaded on first use. `hotpath list` or `trend` needs the store and the
 * contract, not the comparison statistics (hdr-histogram-js), bundles (tar, fflate), system probes
 * (systeminformation), the workloads or the remote runner: importing all of them at start-up cost ~250 ms
 * of every CLI command here (measured: service import 380 ms, contract + store 160 ms). Each module is
 * imported once. Error classes the service maps stay in small modules of their own (store/bundle-error.ts,
 * remote/remote-run-error.ts) so mapping an error never needs the heavy module.
 */

export interface LazyModule<T> {
  /** The module, imported on the first call. */
  get(): Promise<T>
}

export function lazyModule<T>(load: () => Promise<T>): LazyModule<T> {
  let promise: Promise<T> | undefined
  return {
    get() {
      promise ??= load()
      return promise
    },
  }
}

export const modules = {
  ab: lazyModule(() => import('./ab.js')),
  baselines: lazyModule(() => import('./baselines.js')),
  bundle: lazyModule(() => import('../store/bundle.js')),
  profileCheck: lazyModule(() => import('./profile-check.js')),
  comparison: lazyModule(() => import('./comparison.js')),
  customRun: lazyModule(() => import('./custom-run.js')),
  environment: lazyModule(() => import('../profilers/environment.js')),
  exporters: lazyModule(() => import('../core/export/index.js')),
  heapAnalysis: lazyModule(() => import('./heap-analysis.js')),
  heapClassDiff: lazyModule(() => import('../core/compare/heap-class-diff.js')),
  localInputs: lazyModule(() => import('./local-inputs.js')),
  profileDiff: lazyModule(() => import('./profile-diff.js')),
  sourceFile: lazyModule(() => import('./source-file.js')),
  registry: lazyModule(() => import('../workloads/registry.js')),
  remoteRuns: lazyModule(() => import('./remote-runs.js')),
  suite: lazyModule(() => import('./suite.js')),
  trend: lazyModule(() => import('./trend.js')),
  workloadFiles: lazyModule(() => import('./workload-files.js')),
}
