/**
 * A picklist whose options come from the customer's own account (a data source): the shared
 * searchable combobox over the options the platform fetched, with every state a user meets —
 * loading (the saved value stays readable meanwhile, by the label the app gave it), waiting for
 * a field it depends on, empty, a typed error with a retry, a list longer than one answer
 * (searched on the platform), a saved value the app no longer offers (kept, and said so), and a
 * value cleared because a field it depends on changed (said so). Several choices show as chips.
 *
 * The loading itself lives in the wizard (state/data-sources.ts), so it survives going back and
 * forth; this component only asks for it when it shows.
 */
import { useEffect } from "preact/hooks";
import type { DataSourceOption } from "../../../contract/api-types.ts";
import { isApiError } from "../../../client/error.ts";
import { unavailableValues } from "../../../client/data-source.ts";
import { useFrame } from "../context.ts";
import { Combobox, searchOptions, type ComboboxOption } from "../ui/combobox.tsx";
import type { SourceState } from "../state/data-sources.ts";
import type { FieldProps } from "./types.ts";

/** What the wizard gives a data-source field. */
export interface SourceBinding {
  state: SourceState;
  /** The app the options come from ("Slack"). */
  app: string;
  /** Labels of the fields it waits for. */
  waitingFor: string[];
  /** The label the app gave a value: when it was saved, or in a search of a long list. */
  savedLabel(value: string): string | undefined;
  /** Loads the options if what they depend on changed (`force`: again anyway). */
  load(force?: boolean): void;
  search(query: string): void;
}

const toOption = (o: DataSourceOption): ComboboxOption => ({ value: o.value, label: o.label, ...(o.description ? { description: o.description } : {}) });

export function DataSourcePicklist({ def, value, onChange, aria, readOnly, label, source }: FieldProps<"picklist"> & { source: SourceBinding }) {
  const frame = useFrame();
  const { t } = frame;
  const { state, app } = source;
  // Ask for the options when the field shows (the wizard skips it when nothing changed).
  useEffect(() => source.load(), []);

  const searched = state.searched && !state.searched.loading ? state.searched : undefined;
  const shown = (searched?.options ?? state.options).map(toOption);
  const labelOf = (v: string) => state.options.find((o) => o.value === v)?.label ?? searched?.options.find((o) => o.value === v)?.label ?? source.savedLabel(v) ?? v;
  const gone = state.status === "ready" ? unavailableValues(value, state) : [];
  const loading = state.status === "loading";
  const waiting = state.status === "waiting";
  const chosen = def.multiple ? (Array.isArray(value) ? (value as string[]) : []) : [];
  const code = state.status === "error" && isApiError(state.error) ? state.error.code : undefined;
  const failed = frame.codeText("dataSource.error", code, { app }) ?? t("dataSource.error.other", { app });
  const statusId = `${aria.id}-source`;
  const chosenAny = Array.isArray(value) ? value.length > 0 : typeof value === "string" && value !== "";

  const combobox = (
    <Combobox
      id={aria.id}
      options={def.multiple ? shown.filter((o) => !chosen.includes(o.value)) : shown}
      value={def.multiple ? undefined : typeof value === "string" ? value : undefined}
      valueLabel={!def.multiple && typeof value === "string" ? labelOf(value) : undefined}
      onChange={(v) => onChange(def.multiple ? [...chosen, v] : v)}
      label={label}
      aria-labelledby={def.multiple ? `${aria.id}-label` : undefined}
      aria-describedby={[aria["aria-describedby"], statusId].filter(Boolean).join(" ")}
      aria-invalid={aria["aria-invalid"]}
      aria-required={aria["aria-required"]}
      readOnly={readOnly || waiting}
      busy={loading || state.searched?.loading}
      placeholder={waiting ? t("dataSource.waiting", { fields: source.waitingFor.join(", ") }) : t("dataSource.searchPlaceholder")}
      emptyText={
        loading ? t("dataSource.loading", { app }) : state.searched?.loading ? t("dataSource.searching", { app }) : state.options.length === 0 ? t("dataSource.empty", { app }) : t("dataSource.noMatch", { app })
      }
      // A truncated list asks the platform; the answer for the current text is shown as it is.
      search={(list, query) => (searched && searched.query === query ? list.slice() : searchOptions(list, query))}
      onSearch={(query) => source.search(query)}
    />
  );

  return (
    <div class={`em-source${gone.length ? " em-source-gone" : ""}`} aria-busy={loading}>
      {def.multiple && chosen.length > 0 && (
        <ul class="em-choices" aria-labelledby={`${aria.id}-label`}>
          {chosen.map((v) => (
            <li key={v} class={`em-choice${gone.includes(v) ? " em-choice-gone" : ""}`}>
              <span>{labelOf(v)}</span>
              {gone.includes(v) && <span class="em-sr-only">{t("dataSource.unavailable", { app })}</span>}
              {!readOnly && (
                <button type="button" class="em-choice-remove" aria-label={t("field.removeItem", { item: labelOf(v) })} onClick={() => onChange(chosen.filter((c) => c !== v))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {combobox}
      <div id={statusId} class="em-source-status">
        {loading && (
          <p class="em-muted em-source-line">
            <span class="em-spinner" aria-hidden="true" /> {t("dataSource.loading", { app })}
          </p>
        )}
        {state.status === "error" && (
          <div class="em-source-error" role="alert">
            {/* "Your choice is kept" only when there is one to keep. */}
            <span>{chosenAny ? `${failed} ${t("dataSource.kept")}` : failed}</span>
            <button type="button" class="em-button em-button-secondary em-button-small" onClick={() => source.load(true)}>
              {t("dataSource.retry")}
            </button>
          </div>
        )}
        {gone.map((v) => (
          <p key={v} class="em-source-warning">
            {t("dataSource.unavailableHint", { value: labelOf(v), app })}
          </p>
        ))}
        {state.cleared.length > 0 && (
          <p class="em-source-warning" role="status">
            {t("dataSource.cleared", { field: label, values: state.cleared.join(", "), app })}
          </p>
        )}
        {state.status === "ready" && state.truncated && <p class="em-help">{t("dataSource.truncated", { app })}</p>}
        {state.status === "ready" && !readOnly && (
          <button type="button" class="em-link-button" onClick={() => source.load(true)}>
            {t("dataSource.refresh")}
          </button>
        )}
      </div>
    </div>
  );
}
