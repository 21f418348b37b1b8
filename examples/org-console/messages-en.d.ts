/** The types of messages-en.js (plain JavaScript, loaded by the browser as it is). */
export declare const en: Record<string, string>;
