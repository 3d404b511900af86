/**
 * Awaits reads that were started together, in the order given: the latency is that of the
 * slowest, not the sum (each read is a database round trip), while a failure is reported as
 * if the reads had run one after another (the first failing one in this order wins; the others'
 * failures are ignored, never left unhandled).
 */
export async function inOrder<T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  for (const r of reads) (r as Promise<unknown>).catch(() => undefined);
  const out: unknown[] = [];
  for (const r of reads) out.push(await r);
  return out as unknown as T;
}
