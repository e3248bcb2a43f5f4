/** Why a remote run failed; apart from remote-run.ts so error mapping need not load the runner and tar. */
export type RemoteFailureKind = 'unreachable' | 'host-key' | 'auth' | 'no-node' | 'disk-full' | 'killed' | 'dropped' | 'runner' | 'pull' | 'cancelled' | 'invalid-bundle'

export class RemoteRunError extends Error {
  constructor(
    readonly kind: RemoteFailureKind,
    message: string,
  ) {
    super(message)
    this.name = 'RemoteRunError'
  }
}
