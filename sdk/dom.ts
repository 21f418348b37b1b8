/**
 * Creates the SDK's DOM nodes. Styles go through CSSOM (`style.cssText`), never a `<style>`
 * tag or a `style` attribute, so a host CSP without `style-src 'unsafe-inline'` allows them.
 */
export const element = <K extends keyof HTMLElementTagNameMap>(tag: K, css: string, attributes: Record<string, string> = {}) => {
  const node = document.createElement(tag);
  node.style.cssText = css;
  for (const name in attributes) node.setAttribute(name, attributes[name]);
  return node;
};

/** The host page's `prefers-color-scheme: dark` query (mode `auto` follows it, live). */
export const darkScheme = (): MediaQueryList => matchMedia("(prefers-color-scheme: dark)");
