/**
 * A screen loaded on demand (`import()`), so the first route carries only the marketplace.
 * A failed chunk load shows a retry instead of a blank area.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useFrame } from "../context.ts";
import { Loading } from "./skeleton.tsx";

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyScreen(props: P) {
    const { t } = useFrame();
    const [, setTick] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded || failed) return;
      let live = true;
      pending ??= load();
      pending.then(
        (c) => {
          loaded = c;
          if (live) setTick((n) => n + 1);
        },
        () => {
          pending = undefined;
          if (live) setFailed(true);
        },
      );
      return () => void (live = false);
    }, [failed]);
    if (loaded) {
      const C = loaded;
      return <C {...props} />;
    }
    if (failed)
      return (
        <div class="em-state" role="alert">
          <p>{t("app.error.generic")}</p>
          <button type="button" class="em-button" onClick={() => setFailed(false)}>
            {t("app.retry")}
          </button>
        </div>
      );
    return <Loading />;
  };
}
