/** A bundle that cannot be read or written as one; apart from bundle.ts so error mapping need not load tar and fflate. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BundleError'
  }
}
