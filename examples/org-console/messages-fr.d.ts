/** The types of messages-fr.js (plain JavaScript, loaded by the browser as it is). */
export declare const fr: Record<string, string>;
