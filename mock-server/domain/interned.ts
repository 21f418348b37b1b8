/**
 * A string as V8's own copy of it as a property key (an "internalized" string). A key read from a
 * record or cut from a path is a fresh copy: each property look-up with it first asks V8's string
 * table for the internalized twin, and a miss (a key the object does not have) walks that table,
 * which every record ever made has grown. A key that is looked up on every webhook call is kept
 * in its internalized form once, and its look-ups compare pointers.
 */
export function interned(text: string): string {
  const holder: Record<string, 0> = {};
  holder[text] = 0;
  for (const key in holder) return key;
  return text;
}
