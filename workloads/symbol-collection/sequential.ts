/**
 * The naive variant: one request after another, so a collection takes symbols × (latency + overhead).
 */
import { type QuoteClient, fetchQuote } from './quote-client.js'
import type { Quote } from './quotes.js'

/** Fetches the quotes of `symbols` at `tick` one at a time, in order. */
export async function collectQuotesSequential(client: QuoteClient, symbols: readonly string[], tick: number): Promise<Quote[]> {
  const quotes: Quote[] = []
  for (const symbol of symbols) quotes.push(await fetchQuote(client, symbol, tick))
  return quotes
}
