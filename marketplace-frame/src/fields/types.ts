import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";

/**
 * ARIA wiring every field puts on its main control. The field's label has the id
 * `${id}-label`, for controls a `<label for>` cannot name (the code editor's editable element).
 */
export interface ControlAria {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
  "aria-required": boolean;
}

export interface FieldProps<T extends ConfigVarDefinition["type"] = ConfigVarDefinition["type"]> {
  def: Extract<ConfigVarDefinition, { type: T }>;
  /** The form value (see the wizard state for each type's shape). */
  value: unknown;
  onChange: (value: unknown) => void;
  aria: ControlAria;
  /** Set by the host: shown but not editable. */
  readOnly: boolean;
  /** The field's label text (after host phrase overrides). */
  label: string;
  /** Instance being configured: connections test and authorize against it. */
  instanceId: string;
  integrationId: string;
  /** A secret for this connection field is stored on the platform. */
  storedSecret: boolean;
  /** The field's error as shown under it (the code editor also marks where it is). */
  error: string | undefined;
}
