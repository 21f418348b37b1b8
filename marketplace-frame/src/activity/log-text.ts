/**
 * Log lines as inert text. The frame renders every value as a text node (never HTML), so a
 * line holding `<img onerror>` shows those characters and runs nothing. Terminal control
 * sequences (colours, cursor moves, OSC titles and links) are dropped, other control characters
 * and bidirectional overrides (which could make a line read as something it is not) become
 * U+FFFD, so a line shows what it says.
 */
const SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function inertText(text: string): string {
  return text.replace(SEQUENCES, "").replace(CONTROLS, "\ufffd");
}
