/**
 * The SDK's one error class. It is defined in the contract because the pinned messenger, which
 * both sides of the channel use, throws it too; the SDK re-exports it under the same name.
 */
export { EmporiumError } from "../contract/emporium-error.ts";
