/**
 * Which row a navigation key moves a list's selection to, or null when the
 * key is not a navigation key (or there is nothing to select).
 */
export function listKeyTarget(key: string, current: number, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  switch (key) {
    case 'ArrowDown': return current < 0 ? 0 : Math.min(last, current + 1);
    case 'ArrowUp': return current < 0 ? last : Math.max(0, current - 1);
    case 'Home': return 0;
    case 'End': return last;
    case 'PageDown': return current < 0 ? Math.min(last, pageRows) : Math.min(last, current + pageRows);
    case 'PageUp': return current < 0 ? 0 : Math.max(0, current - pageRows);
    default: return null;
  }
}
