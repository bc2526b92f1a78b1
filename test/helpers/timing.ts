/** One timed request: how long it took and what it answered. */
export interface TimedAnswer {
  ms: number;
  status: number;
  text: string;
}

/** Times a request made by `send`, to the response. */
export async function timed(send: () => Promise<{ status: number; text: string }>): Promise<TimedAnswer> {
  const started = process.hrtime.bigint();
  const response = await send();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status, text: response.text };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/**
 * Asks about a known and an unknown account `pairs` times, back to back and alternating which
 * goes first, so that both see the same load on the machine. Returns every pair, the median gap
 * between the two answers of a pair (the machine's changing load cancels out within a pair) and
 * the median time of an answer.
 */
export async function pairedTimings(
  attempt: (which: 'known' | 'unknown') => Promise<TimedAnswer>,
  pairs = 50,
): Promise<{ pairs: [TimedAnswer, TimedAnswer][]; medianGap: number; medianTime: number }> {
  await attempt('known'); // warm up both paths
  await attempt('unknown');
  const answers: [TimedAnswer, TimedAnswer][] = [];
  for (let i = 0; i < pairs; i++) {
    const knownFirst = i % 2 === 0;
    const first = await attempt(knownFirst ? 'known' : 'unknown');
    const second = await attempt(knownFirst ? 'unknown' : 'known');
    answers.push(knownFirst ? [first, second] : [second, first]);
  }
  return {
    pairs: answers,
    medianGap: median(answers.map(([known, unknown]) => known.ms - unknown.ms)),
    medianTime: median(answers.flatMap(([known, unknown]) => [known.ms, unknown.ms])),
  };
}

/**
 * How far apart the two paths may be: 10 ms, or a tenth of an answer's time on a machine so
 * loaded that answers take more than 100 ms. The work that must not be skipped (a password
 * verification, a database write) is most of an answer's time, so skipping it shows far beyond
 * either bound.
 */
export function timingTolerance(medianTime: number): number {
  return Math.max(10, medianTime / 10);
}
