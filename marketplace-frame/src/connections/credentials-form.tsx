/**
 * The key form of the Connections screen: an API key, or a username and password, for a new
 * connection (with an optional name) or a reconnect. Secrets are masked inputs with autocomplete
 * off and never leave the frame except to the platform. What the user typed stays in the form
 * while the platform checks it with the app; a refusal lands next to its field, in the app's
 * words, and Esc or Cancel closes the form without changing anything.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { useFrame } from "../context.ts";
import { FieldError } from "../ui/field-error.tsx";

export interface Credentials {
  name?: string;
  credentials: { kind: "api-key"; apiKey: string } | { kind: "basic"; username: string; password?: string };
}

interface Props {
  id: string;
  title: string;
  hint?: string;
  kind: "api-key" | "basic";
  /** Asks for a name too (a new connection). */
  named?: boolean;
  username?: string;
  busy: boolean;
  /** The platform's words per field (`apiKey`, `username`, `password`, `name`), or a form-level one (`""`). */
  errors: Record<string, string>;
  submitLabel: string;
  onSubmit(value: Credentials): void;
  onCancel(): void;
  children?: ComponentChildren;
}

function Input(props: { id: string; label: string; hint?: string; error?: string; secret?: boolean; value: string; onInput(v: string): void; first?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => void (props.first && ref.current?.focus()), []);
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="em-field em-field-compact">
      <label class="em-label" for={props.id}>
        {props.label}
      </label>
      {props.hint && (
        <p class="em-help" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        ref={ref}
        id={props.id}
        class="em-input"
        type={(props.secret ? "password" : "text") as "text"}
        autocomplete="off"
        spellcheck={false}
        value={props.value}
        aria-invalid={!!props.error}
        aria-describedby={described}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

export function CredentialsForm(props: Props) {
  const { t } = useFrame();
  const [name, setName] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [username, setUsername] = useState(props.username ?? "");
  const [password, setPassword] = useState("");
  /** Left empty, in the user's words, before anything is sent. */
  const [missing, setMissing] = useState<Record<string, string>>({});
  const { id } = props;
  const errors = { ...props.errors, ...missing };
  const submit = (e: Event) => {
    e.preventDefault();
    // A password may stay empty on a reconnect with the same username: the stored one is kept.
    const empty = props.kind === "api-key" ? { apiKey } : { username, ...((props.named || username !== props.username) && { password }) };
    const required = Object.fromEntries(Object.entries(empty).filter(([, v]) => !v.trim()).map(([k]) => [k, t("field.required")]));
    setMissing(required);
    if (Object.keys(required).length) return;
    const credentials: Credentials["credentials"] =
      props.kind === "api-key" ? { kind: "api-key", apiKey } : { kind: "basic", username, ...(password && { password }) };
    props.onSubmit({ ...(props.named && name.trim() && { name: name.trim() }), credentials });
  };
  return (
    <form
      class="em-conn-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), props.onCancel())}
    >
      <h3 class="em-section-title" id={`${id}-title`}>
        {props.title}
      </h3>
      {props.hint && <p class="em-muted">{props.hint}</p>}
      {props.children}
      {props.named && <Input id={`${id}-name`} label={t("conn.name")} hint={t("conn.nameHint")} error={errors.name} value={name} onInput={setName} first />}
      {props.kind === "api-key" ? (
        <Input id={`${id}-apiKey`} label={t("connection.apiKey")} secret error={errors.apiKey} value={apiKey} onInput={setApiKey} first={!props.named} />
      ) : (
        <>
          <Input id={`${id}-username`} label={t("connection.username")} error={errors.username} value={username} onInput={setUsername} first={!props.named} />
          <Input id={`${id}-password`} label={t("connection.password")} secret error={errors.password} value={password} onInput={setPassword} />
        </>
      )}
      {errors[""] && (
        <p class="em-field-error" role="alert">
          {errors[""]}
        </p>
      )}
      <div class="em-row">
        <button type="submit" class="em-button em-button-primary" disabled={props.busy} aria-busy={props.busy || undefined}>
          {props.submitLabel}
        </button>
        <button type="button" class="em-button em-button-ghost" onClick={props.onCancel}>
          {t("conn.cancel")}
        </button>
      </div>
    </form>
  );
}
