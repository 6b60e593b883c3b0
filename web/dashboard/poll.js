// Keeps a view's data fresh: loads at once, then every `period` ms (after the previous load finished),
// until the view goes away. `refresh()` loads again now (after an action).
import { useEffect, useRef, useState } from 'preact/hooks';
import { SignedOut } from './api.js';

export const PERIOD = 2000;

export function usePoll(load, deps = [], period = PERIOD) {
  const [state, setState] = useState({ data: null, error: null, at: 0 });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let stopped = false;
    let timer;
    const tick = async () => {
      try {
        const data = await loadRef.current();
        if (!stopped) {
          setState({ data, error: null, at: Date.now() });
        }
      } catch (e) {
        if (e instanceof SignedOut) {
          return;
        }
        if (!stopped) {
          setState(s => ({ ...s, error: e.message }));
        }
      }
      if (!stopped) {
        timer = setTimeout(tick, period);
      }
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, round]);
  return [state, () => setRound(r => r + 1)];
}
