// Keeps a label's values bounded: the first `max` distinct values pass (truncated to 64 characters), the rest become
// `other`. Operation names are chosen by clients, so without a cap one client could grow the metrics without end.
export function createLabelLimiter(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = value.slice(0, 64);
    if (seen.has(label)) return label;
    if (seen.size >= max) return 'other';
    seen.add(label);
    return label;
  };
}
