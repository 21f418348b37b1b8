import { useFrame } from "../context.ts";

/** Placeholder shapes while data loads, so the layout never jumps from blank to full. */
export function SkeletonCards({ count = 6 }: { count?: number }) {
  return (
    <ul class="em-grid" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <li key={i} class="em-card em-card-skeleton">
          <span class="em-skeleton em-skeleton-icon" />
          <span class="em-card-body">
            <span class="em-skeleton em-skeleton-line" />
            <span class="em-skeleton em-skeleton-line em-skeleton-short" />
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The category chips' row while the catalog loads: drawn with the shell, so the filters under it
 * do not move down when the categories arrive; its shapes stay invisible while `held` (the
 * cards' skeleton is held back then too).
 */
export function SkeletonChips({ held }: { held: boolean }) {
  return (
    <div class={`em-chips em-chips-skeleton${held ? " em-held" : ""}`} aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <span key={i} class="em-skeleton em-skeleton-chip" />
      ))}
    </div>
  );
}

export function SkeletonBlock({ lines = 4 }: { lines?: number }) {
  return (
    <div class="em-skeleton-block" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} class={`em-skeleton em-skeleton-line${i === lines - 1 ? " em-skeleton-short" : ""}`} />
      ))}
    </div>
  );
}

/** A loading region that screen readers hear about once ("Loading…"); sighted users see shapes. */
export function Loading({ lines }: { lines?: number }) {
  const { t } = useFrame();
  return (
    <div role="status" aria-busy="true" class="em-loading">
      <span class="em-sr-only">{t("app.loading")}</span>
      <SkeletonBlock lines={lines} />
    </div>
  );
}
