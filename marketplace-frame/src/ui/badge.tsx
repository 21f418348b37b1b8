import type { ActivationState } from "../../../contract/api.ts";
import { useFrame } from "../context.ts";

export function StateBadge({ state }: { state: ActivationState }) {
  const { t } = useFrame();
  return <span class={`em-badge em-badge-${state}`}>{t(`state.${state}`)}</span>;
}
