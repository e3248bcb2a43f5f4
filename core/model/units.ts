/** Unit aliases: the type says what a number measures (Firefox Profiler's units.ts). */
export type Milliseconds = number
export type Microseconds = number
export type Nanoseconds = number
export type Bytes = number
export type Percent = number
/** A fraction in [0, 1]. */
export type UnitInterval = number
export type CssPixels = number
/** An index into one of the struct-of-arrays tables of a call tree or heap model. */
export type NodeIndex = number
/** ISO-8601 timestamp text. */
export type IsoDate = string
