/** One config variable: label, description, the control for its type, and its error. */
import type { ComponentType } from "preact";
import type { ConfigVarDefinition, ConfigVarType } from "../../../contract/config-vars.ts";
import { useFrame } from "../context.ts";
import { Markdown } from "../markdown.tsx";
import { BooleanField } from "./boolean.tsx";
import { CodeField } from "./code.tsx";
import { ConnectionField } from "./connection.tsx";
import { DateField } from "./date.tsx";
import { FieldError } from "../ui/field-error.tsx";
import { KeyValueListField } from "./key-value-list.tsx";
import { NumberField } from "./number.tsx";
import { PicklistField } from "./picklist.tsx";
import { DataSourcePicklist, type SourceBinding } from "./data-source-picklist.tsx";
import { ScheduleField } from "./schedule.tsx";
import { StringField } from "./string.tsx";
import { TimestampField } from "./timestamp.tsx";
import type { FieldProps } from "./types.ts";
import { ValueListField } from "./value-list.tsx";

const controls: Record<ConfigVarType, ComponentType<FieldProps<any>>> = {
  string: StringField,
  number: NumberField,
  boolean: BooleanField,
  picklist: PicklistField,
  code: CodeField,
  date: DateField,
  timestamp: TimestampField,
  schedule: ScheduleField,
  "value-list": ValueListField,
  "key-value-list": KeyValueListField,
  connection: ConnectionField,
};

/** A picklist from a data source: the same field props, plus the wizard's binding. */
const DataSourceControl = (props: FieldProps<any> & { source?: SourceBinding }) => <DataSourcePicklist {...(props as FieldProps<"picklist">)} source={props.source!} />;

/** Field ids are namespaced so an error can be focused by key. */
export const fieldId = (key: string) => `em-field-${key}`;

export function Field(props: {
  def: ConfigVarDefinition;
  value: unknown;
  error: string | undefined;
  readOnly: boolean;
  /** Disabled by one of the integration's rules (rather than by the host or the user's role). */
  locked?: boolean;
  /** Required now (its `requiredWhen` may make it so); default: the definition's `required`. */
  required?: boolean;
  onChange: (v: unknown) => void;
  instanceId: string;
  integrationId: string;
  storedSecret: boolean;
  /** A data-source picklist's options and their state (the wizard holds them). */
  source?: SourceBinding;
  /** A tag after the label (an upgrade marks its new fields "New"). */
  badge?: string | undefined;
}) {
  const { locale, t } = useFrame();
  const { def, error, integrationId } = props;
  const required = props.required ?? !!def.required;
  const id = fieldId(def.key);
  const label = locale.content(`configVar.${integrationId}.${def.key}.label`, def.label);
  const description = def.description && locale.content(`configVar.${integrationId}.${def.key}.description`, def.description);
  const descId = description ? `${id}-desc` : undefined;
  const errId = error ? `${id}-error` : undefined;
  const Control: ComponentType<FieldProps<any> & { source?: SourceBinding }> = props.source && def.type === "picklist" ? DataSourceControl : controls[def.type];
  const grouped = def.type === "picklist" ? !!def.multiple : ["value-list", "key-value-list", "schedule", "connection"].includes(def.type);
  const Label = grouped ? "p" : "label";
  return (
    <div class={`em-field em-field-${def.type}${error ? " em-field-invalid" : ""}`} data-field={def.key}>
      <Label class="em-label" id={`${id}-label`} for={grouped ? undefined : id}>
        {label}
        {required && (
          <span class="em-required" aria-hidden="true">
            {" "}
            *
          </span>
        )}
        {props.readOnly && <span class="em-tag em-readonly">{props.locked ? t("wizard.locked") : t("wizard.readOnly")}</span>}
        {props.badge && <span class="em-tag em-new">{props.badge}</span>}
      </Label>
      {description && <Markdown source={description} class="em-help" id={descId} />}
      <Control
        def={def}
        value={props.value}
        onChange={props.onChange}
        readOnly={props.readOnly}
        label={label}
        instanceId={props.instanceId}
        integrationId={integrationId}
        storedSecret={props.storedSecret}
        error={error}
        source={props.source}
        aria={{
          id,
          "aria-invalid": !!error,
          "aria-describedby": [errId, descId].filter(Boolean).join(" ") || undefined,
          "aria-required": required,
        }}
      />
      {/* A connection field draws its error under its inputs, above its Test connection row. */}
      {def.type !== "connection" && <FieldError id={id} error={error} />}
    </div>
  );
}
