// The demo page's live theme editor: every token of contract/theme.ts (served by the demo
// backend at /api/theme-tokens, so this list never drifts from the contract), a light/dark/auto
// switch, a language switch and a reset. Each change is sent to the live embed with
// setTheme/setLocale; values are NOT checked here on purpose — the frame validates every token
// and answers a rejected one with a `warning` event, which is what this editor demonstrates.

const groups = [
  { title: "Colours", grammars: ["color"] },
  { title: "Lengths and numbers", grammars: ["length", "number"] },
  { title: "Fonts and shadow", grammars: ["font-family", "shadow"] },
];

const hex6 = /^#[0-9a-f]{6}$/i;
const darkScheme = matchMedia("(prefers-color-scheme: dark)");

/**
 * Builds the editor into `root` and returns its current state and a way to mark tokens the
 * frame rejected. `onChange({ theme, mode, locale }, what)` runs on every edit, `what` being
 * "theme" or "locale".
 */
export function createThemeEditor({ tokens, root, modeInputs, localeSelect, resetButton, onChange }) {
  // "auto" first: the frame takes the page's colour scheme, so a dark page does not embed a light frame.
  const state = { theme: {}, mode: "auto", locale: "en" };
  const rows = new Map();

  const resolvedMode = () => (state.mode === "auto" ? (darkScheme.matches ? "dark" : "light") : state.mode);
  const defaultOf = (name) => tokens[name][resolvedMode()];

  function showDefaults() {
    for (const [name, row] of rows) {
      row.text.placeholder = defaultOf(name);
      if (row.picker && !(name in state.theme)) row.picker.value = hex6.test(defaultOf(name)) ? defaultOf(name) : "#000000";
    }
  }

  // Colour pickers fire `input` continuously while dragging: send at most one update per frame.
  let pending = false;
  function themeChanged() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange(state, "theme");
    });
  }

  function setToken(name, value) {
    const row = rows.get(name);
    row.text.removeAttribute("aria-invalid");
    if (value.trim() === "") delete state.theme[name];
    else state.theme[name] = value.trim();
    themeChanged();
  }

  for (const group of groups) {
    const names = Object.keys(tokens).filter((name) => group.grammars.includes(tokens[name].grammar));
    if (names.length === 0) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "token-group";
    const legend = document.createElement("legend");
    legend.textContent = group.title;
    fieldset.append(legend);
    for (const name of names) {
      const spec = tokens[name];
      const row = document.createElement("div");
      row.className = "token";
      row.dataset.token = name;
      const id = `token-${name}`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = name;
      const text = document.createElement("input");
      text.type = "text";
      text.id = id;
      text.name = name;
      text.spellcheck = false;
      text.autocomplete = "off";
      if (spec.min !== undefined) text.title = `${spec.grammar}, ${spec.min}–${spec.max}${spec.grammar === "length" ? " px (px or rem)" : ""}`;
      // `change` (Enter or leaving the field), not `input`: a half-typed value would warn on every key.
      text.addEventListener("change", () => {
        if (picker && hex6.test(text.value.trim())) picker.value = text.value.trim();
        setToken(name, text.value);
      });
      let picker;
      if (spec.grammar === "color") {
        picker = document.createElement("input");
        picker.type = "color";
        picker.setAttribute("aria-label", `${name} colour picker`);
        picker.addEventListener("input", () => {
          text.value = picker.value;
          setToken(name, picker.value);
        });
        row.append(label, picker, text);
      } else {
        row.append(label, text);
      }
      rows.set(name, { text, picker });
      fieldset.append(row);
    }
    root.append(fieldset);
  }

  for (const input of modeInputs) {
    input.addEventListener("change", () => {
      if (!input.checked) return;
      state.mode = input.value;
      showDefaults();
      onChange(state, "theme");
    });
  }
  // In auto mode the SDK follows the host's colour scheme by itself; only the placeholders here need to.
  darkScheme.addEventListener("change", showDefaults);

  localeSelect.addEventListener("change", () => {
    state.locale = localeSelect.value;
    onChange(state, "locale");
  });

  resetButton.addEventListener("click", () => {
    state.theme = {};
    state.mode = "auto";
    state.locale = "en";
    for (const { text } of rows.values()) {
      text.value = "";
      text.removeAttribute("aria-invalid");
    }
    for (const input of modeInputs) input.checked = input.value === "auto";
    localeSelect.value = "en";
    showDefaults();
    onChange(state, "theme");
    onChange(state, "locale");
  });

  showDefaults();
  return {
    state,
    /** Marks the field of a token the frame rejected (from a `warning` event's `subject`). */
    markRejected(name) {
      rows.get(name)?.text.setAttribute("aria-invalid", "true");
    },
  };
}
