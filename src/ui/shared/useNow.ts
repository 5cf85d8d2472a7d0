import { useEffect, useState } from 'preact/hooks';

/** The wall clock, ticking every `ms` while `live` (durations and rates of open sockets). */
export function useNow(live: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return undefined;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [live, ms]);
  return live ? Math.max(now, Date.now()) : now;
}
