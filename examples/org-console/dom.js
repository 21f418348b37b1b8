// The console's one way to make DOM: text is only ever set with textContent, never parsed as
// HTML (the page runs under `script-src 'self'; style-src 'self'` and Trusted Types).

/** Creates an element: attributes (on* are listeners, `text` is textContent) and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const banner = () => document.getElementById("banner");

/** The page's one message line (an error, or a success once an action is done). */
export function showBanner(message, kind = "error") {
  const el = banner();
  el.textContent = message;
  el.classList.toggle("success", kind === "success");
  el.hidden = false;
}

export function clearBanner() {
  const el = banner();
  el.hidden = true;
  el.textContent = "";
}
