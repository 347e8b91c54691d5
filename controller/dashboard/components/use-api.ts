import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useSession } from '../session';

export interface Loaded<T> {
  data: T | undefined;
  failure: ApiFailure | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads `path` from the API (nothing while it is null), again whenever it changes, when
 * `reload()` is called, or when the session says shared data changed.
 */
export function useApiGet<T>(path: string | null): Loaded<T> {
  const { api, generation } = useSession();
  const [state, setState] = useState<{ data?: T; failure?: ApiFailure; loading: boolean }>({
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void api.get<T>(path).then((result) => {
      if (!live) return;
      setState(
        result.ok ? { data: result.value, loading: false } : { failure: result, loading: false },
      );
    });
    return () => {
      live = false;
    };
  }, [api, path, tick, generation]);
  const reload = useCallback(() => {
    setTick((n) => n + 1);
  }, []);
  return { data: state.data, failure: state.failure, loading: state.loading, reload };
}
