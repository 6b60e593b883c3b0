// Which node serves this page: its /health names it (the dashboard's URLs for players use its ports).
import { useEffect, useState } from 'preact/hooks';

export function useSelf() {
  const [id, setId] = useState(null);
  useEffect(() => {
    fetch('/health', { cache: 'no-store' }).then(r => r.json()).then(h => setId(h.nodeId)).catch(() => {});
  }, []);
  return id;
}
