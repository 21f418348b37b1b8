/**
 * The list a connection field offers: the customer's connections it can use (their own and the
 * ones the host provides: name, account, who provides it, how many integrations use it, health)
 * and "New connection", as one radio group (arrow keys move, as in any radio group). What can be
 * picked and what picking means is the client core's (client/wizard-connections.ts); this only
 * draws it. Loading shows skeleton rows; a list that failed says so with Retry, and the new
 * connection form stays usable below.
 */
import type { ComponentChildren } from "preact";
import { tn } from "../i18n/plural.ts";
import type { ConnectionChoice } from "../../../client/wizard-connections.ts";
import { useFrame } from "../context.ts";
import type { ControlAria } from "./types.ts";

export type ChoicesState = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; choices: ConnectionChoice[] };

export function ConnectionPicker(props: {
  /** The field's id: radio names and ids derive from it. */
  id: string;
  /** The field's ARIA wiring: its label names the group; its error and help describe it. */
  aria: ControlAria;
  /** The chosen row's radio takes the field's id (what an error focuses). */
  focusChosen: boolean;
  app: string;
  list: ChoicesState;
  /** The connection used now; undefined: a new one. */
  chosen: string | undefined;
  readOnly: boolean;
  onPick: (choice: ConnectionChoice | undefined) => void;
  onRetry: () => void;
}) {
  const { t, locale } = useFrame();
  const { id, list, chosen, readOnly } = props;
  if (list.state === "loading") {
    return (
      <div class="em-conn-choices" aria-busy="true">
        <span class="em-sr-only" role="status">
          {t("connection.loading")}
        </span>
        <span class="em-skeleton em-conn-skeleton" />
        <span class="em-skeleton em-conn-skeleton" />
      </div>
    );
  }
  const choices = list.state === "ready" ? list.choices : [];
  const row = (key: string, selected: boolean, pick: () => void, main: ComponentChildren, tag?: ComponentChildren, danger?: boolean) => (
    <label class={`em-conn-choice${selected ? " em-conn-selected" : ""}${danger ? " em-conn-broken" : ""}`} key={key}>
      <input
        type="radio"
        name={`${id}-choice`}
        id={selected && props.focusChosen ? id : `${id}-choice-${key}`}
        checked={selected}
        disabled={readOnly && !selected}
        aria-describedby={selected ? props.aria["aria-describedby"] : undefined}
        onChange={pick}
      />
      <span class="em-conn-main">{main}</span>
      {tag}
    </label>
  );
  return (
    <div class="em-conn-choices">
      {list.state === "error" && (
        <div class="em-row em-conn-failed" role="alert">
          <span class="em-status em-status-error">{t("connection.listFailed", { message: list.message })}</span>
          <button type="button" class="em-button em-button-secondary" onClick={props.onRetry}>
            {t("app.retry")}
          </button>
        </div>
      )}
      <div role="radiogroup" aria-labelledby={`${id}-label`} aria-invalid={props.aria["aria-invalid"]} aria-required={props.aria["aria-required"]} class="em-conn-group">
        {choices.map((choice) => {
          const c = choice.connection;
          const meta = [c.account, choice.providedBy !== undefined ? t("connection.providedBy", { host: choice.providedBy }) : undefined, c.usedBy.length ? tn(locale, "connection.usedBy", c.usedBy.length) : undefined].filter(Boolean).join(" · ");
          return row(
            c.id,
            chosen === c.id,
            () => props.onPick(choice),
            <>
              <span class="em-conn-name">{c.name}</span>
              {meta && <span class="em-conn-meta">{meta}</span>}
            </>,
            <span class={`em-tag ${choice.usable ? "em-conn-ok" : "em-conn-reconnect"}`}>{choice.usable ? t("connection.statusActive") : t("connection.needsReconnect")}</span>,
            !choice.usable,
          );
        })}
        {/* The saved connection when the list could not say what it is. */}
        {chosen !== undefined && !choices.some((c) => c.connection.id === chosen) && row("saved", true, () => {}, <span class="em-conn-name">{t("connection.saved", { app: props.app })}</span>)}
        {row("new", chosen === undefined, () => props.onPick(undefined), <span class="em-conn-name">{t("connection.new")}</span>)}
      </div>
    </div>
  );
}
