import { useEffect, useState } from 'preact/hooks';
import type { Interception } from '../../intercept/interception';

/** Re-render when the interception settings or rules change. */
export function useInterception(i: Interception): number {
  const [version, setVersion] = useState(i.version);
  useEffect(() => {
    setVersion(i.version);
    return i.subscribe(() => setVersion(i.version));
  }, [i]);
  return version;
}
