/** Graded relevance metrics over a ranked list of ids. */
export function ndcgAt(k: number, ranked: readonly string[], grades: Record<string, number>): number {
  const gain = (g: number) => 2 ** g - 1;
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + gain(grades[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(grades)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
  return ideal ? dcg / ideal : 0;
}

export function precisionAt(k: number, ranked: readonly string[], grades: Record<string, number>): number {
  return ranked.slice(0, k).filter((id) => (grades[id] ?? 0) > 0).length / k;
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
