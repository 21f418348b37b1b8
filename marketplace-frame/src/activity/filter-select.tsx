/**
 * One filter of the activity screen's filter bars: a labelled select. `all`, when given, is the
 * first option and means "no filter" (value ""); `children` add options after the list.
 */
import type { ComponentChildren } from "preact";

export function FilterSelect(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  all?: string;
  disabled?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <label class="em-filter">
      <span class="em-filter-label">{props.label}</span>
      <select class="em-input em-select" value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {props.children}
      </select>
    </label>
  );
}
