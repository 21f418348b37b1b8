/**
 * A searchable single-choice list: the ARIA 1.2 combobox pattern (an editable input with a
 * listbox popup and list autocomplete, focus staying in the input while `aria-activedescendant`
 * points at the active option). Built for lists too long for a native `<select>` — the ~420
 * IANA time zones, and options a data source fetches from the customer's own account.
 *
 * Keys: typing filters and opens the list; ↓/↑ move (opening it), Alt+↓ opens, Home/End jump
 * when the list is open, Enter chooses, Esc closes (a second Esc puts back the chosen value's
 * text), Tab leaves with the chosen value unchanged. The input shows the chosen option's label
 * whenever the user is not searching; a search that chose nothing never changes the value.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useFrame } from "../context.ts";
import { tn } from "../i18n/plural.ts";
import { usePopupPlacement } from "./popup-placement.ts";

export interface ComboboxOption {
  value: string;
  /** What the option reads as, and what the input shows once it is chosen. */
  label: string;
  /** Secondary text beside the label (an offset, a count…); part of the option's name. */
  detail?: string;
  /** More text a search matches (aliases, the label in another form). */
  keywords?: string;
  /** A line under the label (a channel's purpose, an issue type's description); searched too. */
  description?: string;
}

/**
 * The default search: options whose label or keywords contain every word typed, those where a
 * word starts a segment of the label (after a space, `/`, `_`, `-`, `(`) first, then by that
 * segment, so "Ber" offers Europe/Berlin before Atlantic/Bermuda and America/Argentina/…
 */
export function searchOptions(options: readonly ComboboxOption[], query: string): ComboboxOption[] {
  const words = query.toLowerCase().split(/[\s/_,]+/).filter(Boolean);
  if (words.length === 0) return options.slice();
  const ranked: { option: ComboboxOption; rank: number; key: string }[] = [];
  for (const option of options) {
    const label = option.label.toLowerCase();
    const haystack = `${label} ${option.keywords?.toLowerCase() ?? ""} ${option.description?.toLowerCase() ?? ""}`;
    if (!words.every((w) => haystack.includes(w))) continue;
    const segments = label.split(/[\s/_()-]+/);
    const hit = segments.find((s) => s.startsWith(words[0]));
    ranked.push({ option, rank: hit === undefined ? 1 : 0, key: hit ?? label });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key) || a.option.label.localeCompare(b.option.label));
  return ranked.map((r) => r.option);
}

export interface ComboboxProps {
  /** The input's id (the field's id: its label and error focus point at it). */
  id: string;
  /** The options, or a function that makes them, called only once the list opens (making them may cost). */
  options: readonly ComboboxOption[] | (() => readonly ComboboxOption[]);
  value: string | undefined;
  /** The chosen value's text when `options` is a function or does not hold it (a saved value no longer offered). */
  valueLabel?: string;
  onChange: (value: string) => void;
  /** Names the list (the field's label). */
  label: string;
  "aria-labelledby"?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
  "aria-required"?: boolean;
  readOnly?: boolean;
  placeholder?: string;
  /** Said when a search matches nothing. */
  emptyText: string;
  /** Replaces the default search (e.g. a data source that searches on the server). */
  search?: (options: readonly ComboboxOption[], query: string) => ComboboxOption[];
  /** Told the search text as it changes ("" when the search ends), for a search on the server. */
  onSearch?: (query: string) => void;
  /** The options are on their way: the list says so instead of "nothing matches". */
  busy?: boolean;
  /** Rendered after the input (a loading note, a retry…), inside the combobox's box. */
  children?: ComponentChildren;
}

export function Combobox(props: ComboboxProps) {
  const frame = useFrame();
  const { locale } = frame;
  const { id, options, value, readOnly } = props;
  const listId = `${id}-listbox`;
  const search = props.search ?? searchOptions;
  const [open, setOpen] = useState(false);
  /** The search text while the user types; undefined shows the chosen option's label. */
  const [query, setQuery] = useState<string | undefined>(undefined);
  const [active, setActive] = useState(-1);

  // Options given as a function are made on the first opening, and again only when it changes.
  const made = useRef<{ source: () => readonly ComboboxOption[]; list: readonly ComboboxOption[] }>(undefined);
  const listOf = (): readonly ComboboxOption[] => {
    if (typeof options !== "function") return options;
    if (made.current?.source !== options) made.current = { source: options, list: options() };
    return made.current.list;
  };
  const list = open || typeof options !== "function" ? listOf() : [];
  const matches = useMemo(() => (query === undefined ? list : search(list, query)), [list, query]);
  const chosenLabel = (typeof options !== "function" ? options.find((o) => o.value === value)?.label : undefined) ?? props.valueLabel ?? value;
  const optionId = (i: number) => `${id}-option-${i}`;

  // The list opens where all of it can be seen (ui/popup-placement.ts): above the input, with a
  // height that fits, or in an autoHeight frame grown to hold it.
  const box = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const emptyRef = useRef<HTMLParagraphElement>(null);
  usePopupPlacement(open, !!frame.init.autoHeight && !frame.init.closable, box, () => (matches.length ? listRef.current : emptyRef.current), matches.length);

  // The active option stays in view as the arrows move it. Only the list scrolls: scrollIntoView
  // would also scroll the frame's document, and the host's page under the user's eyes.
  useEffect(() => {
    const list = listRef.current;
    const option = open && active >= 0 ? document.getElementById(optionId(active)) : null;
    if (!list || !option) return;
    if (option.offsetTop < list.scrollTop) list.scrollTop = option.offsetTop;
    else if (option.offsetTop + option.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = option.offsetTop + option.offsetHeight - list.clientHeight;
  }, [open, active]);

  /** Opens the list on the chosen option; without one, on the first or last option, or none. */
  const show = (otherwise: "first" | "last" | "none") => {
    const shown = query === undefined ? listOf() : search(listOf(), query);
    const chosen = shown.findIndex((o) => o.value === value);
    setOpen(true);
    setActive(chosen >= 0 ? chosen : otherwise === "first" ? 0 : otherwise === "last" ? shown.length - 1 : -1);
  };
  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const endSearch = () => {
    if (query !== undefined) props.onSearch?.("");
    setQuery(undefined);
  };
  const choose = (option: ComboboxOption | undefined) => {
    if (option && option.value !== value) props.onChange(option.value);
    endSearch();
    close();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (readOnly) return;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        // Alt+↓ only opens; ↓ opens on the chosen option, so the next ↓ goes on from there.
        if (!open) show(e.altKey ? "none" : "first");
        else if (!e.altKey) setActive(Math.min(active + 1, matches.length - 1));
        break;
      case "ArrowUp":
        e.preventDefault();
        if (!open) show("last");
        else setActive(Math.max(active - 1, 0));
        break;
      case "Home":
      case "End":
        if (!open || matches.length === 0) return;
        e.preventDefault();
        setActive(e.key === "Home" ? 0 : matches.length - 1);
        break;
      case "Enter":
        // Enter with no active option is the form's (Next), as in any other field.
        if (!open || active < 0) return;
        e.preventDefault();
        choose(matches[active]);
        break;
      case "Escape":
        if (open) close();
        else if (query !== undefined) endSearch();
        else return;
        // Handled here: the popover around the frame must not close as well.
        e.preventDefault();
        e.stopPropagation();
        break;
    }
  };

  const text = query ?? chosenLabel ?? "";
  return (
    <div class={`em-combobox${open ? " em-combobox-open" : ""}`} ref={box}>
      <input
        id={id}
        class="em-input em-combobox-input"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        aria-labelledby={props["aria-labelledby"]}
        aria-describedby={props["aria-describedby"]}
        aria-invalid={props["aria-invalid"]}
        aria-required={props["aria-required"]}
        aria-busy={props.busy || undefined}
        placeholder={props.placeholder}
        readOnly={readOnly}
        value={text}
        onInput={(e) => {
          const q = e.currentTarget.value;
          setQuery(q);
          props.onSearch?.(q);
          setOpen(true);
          // The best match is active, so Enter takes it; ↓ reaches the others.
          setActive(q.trim() === "" ? -1 : 0);
        }}
        onKeyDown={onKeyDown}
        onClick={() => !readOnly && !open && show("none")}
        onBlur={() => {
          endSearch();
          close();
        }}
      />
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        class="em-combobox-list"
        aria-labelledby={props["aria-labelledby"]}
        aria-label={props["aria-labelledby"] ? undefined : props.label}
        hidden={!open}
      >
        {open &&
          matches.map((o, i) => (
            <li
              key={o.value}
              id={optionId(i)}
              role="option"
              class={`em-combobox-option${i === active ? " em-combobox-active" : ""}`}
              aria-selected={o.value === value}
              // Keep focus in the input: a click chooses without blurring it first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
            >
              <span class="em-combobox-text">
                <span class="em-combobox-label">{o.label}</span>
                {o.description && <span class="em-combobox-description">{o.description}</span>}
              </span>
              {o.detail && <span class="em-combobox-detail">{o.detail}</span>}
            </li>
          ))}
      </ul>
      <p class="em-sr-only" role="status">
        {open && query !== undefined ? (matches.length ? tn(locale, "combobox.results", matches.length) : props.emptyText) : ""}
      </p>
      {open && matches.length === 0 && (
        <p class="em-combobox-empty em-muted" aria-hidden="true" ref={emptyRef}>
          {props.emptyText}
        </p>
      )}
      {props.children}
    </div>
  );
}
