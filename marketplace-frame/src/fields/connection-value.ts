/** A connection's form value and what is sent for it: shared with the headless SDK (contract). */
export { connectionInputOf, formFromStored, type ConnectionForm } from "../../../contract/connection-form.ts";
