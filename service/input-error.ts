/**
 * A request that names something that does not exist or cannot be used (a file, a run's artifact, an
 * output path). Thrown by the service's modules; toWorkbenchError passes the message on unchanged with
 * its code, and every front door shows it as one line (the CLI exits 2).
 */
export class ServiceInputError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-request' | 'not-found' | 'too-large' = 'bad-request',
  ) {
    super(message)
    this.name = 'ServiceInputError'
  }
}
