/**
 * CodeMirror's styles under the frame's CSP (`style-src 'self'`, no 'unsafe-inline', no nonce).
 *
 * CodeMirror writes its CSS at run time through style-mod, which puts it in a `<style>` element
 * for a document (adopted stylesheets only for a shadow root). The CSP blocks that element's
 * rules, and the editor would show unstyled: no layout for its gutters, cursor or selection.
 * CSP does not govern constructable stylesheets (`new CSSStyleSheet()` + `replaceSync` +
 * `document.adoptedStyleSheets`), so this routes style-mod's `mount` for documents there. The
 * CSP stays as strict as it is; a nonce would need a per-response secret in every frame document
 * and would not work for the static frame. The real-Chromium test in tests/code-editor.test.ts
 * checks the editor renders styled under the frame's real CSP with no violation reported.
 *
 * CodeMirror calls `StyleModule.mount` as a property of the one style-mod class (package.json
 * pins the version; npm dedupes it), so replacing the property before the first editor is made
 * is enough. A browser without adopted stylesheets on documents keeps style-mod's own mount.
 */
import { StyleModule } from "style-mod";

interface Mounted {
  sheet: CSSStyleSheet;
  modules: StyleModule[];
}

const mounted = new WeakMap<Document, Mounted>();
const styleModMount = StyleModule.mount;

function adoptedMount(root: Document | ShadowRoot, modules: StyleModule | readonly StyleModule[], options?: { nonce?: string }): void {
  const doc = root as Document;
  const win = doc.defaultView;
  if (!("head" in root) || !win || !Array.isArray(doc.adoptedStyleSheets) || typeof win.CSSStyleSheet?.prototype.replaceSync !== "function") {
    return styleModMount.call(StyleModule, root, modules as StyleModule[], options);
  }
  let state = mounted.get(doc);
  if (!state) mounted.set(doc, (state = { sheet: new win.CSSStyleSheet(), modules: [] }));
  // style-mod's order rule: modules keep the order they are given in, later ones win; a module
  // mounted before keeps its place unless the new order puts it after one that follows it.
  let changed = false;
  let at = 0;
  for (const mod of Array.isArray(modules) ? modules : [modules]) {
    let index = state.modules.indexOf(mod);
    if (index > -1 && index < at) {
      state.modules.splice(index, 1);
      at--;
      index = -1;
    }
    if (index === -1) {
      state.modules.splice(at++, 0, mod);
      changed = true;
    } else at = index + 1;
  }
  if (changed) state.sheet.replaceSync(state.modules.map((m) => m.getRules()).join("\n"));
  if (!doc.adoptedStyleSheets.includes(state.sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, state.sheet];
}

/** Makes CodeMirror's style modules go into an adopted stylesheet of the document (once). */
export function adoptCodeMirrorStyles(): void {
  StyleModule.mount = adoptedMount as typeof StyleModule.mount;
}
