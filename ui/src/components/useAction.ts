// A button's work: runs one change at a time, keeps its error for the page to show, and says which one is running.
import { useCallback, useState } from 'react';

export interface Action {
  error: unknown;
  busy: string | null;
  /** Runs `work` under `name` (for "Saving…" labels); a failure is kept in `error`, never thrown. */
  run: (name: string, work: () => Promise<unknown>) => Promise<void>;
  setError: (error: unknown) => void;
}

export function useAction(): Action {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(async (name: string, work: () => Promise<unknown>) => {
    setBusy(name);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }, []);
  return { error, busy, run, setError };
}
