/** The types of messages-de.js (plain JavaScript, loaded by the browser as it is). */
export declare const de: Record<string, string>;
