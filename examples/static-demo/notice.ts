/**
 * What the static build tells the user about its demo platform: that data lives in memory (a
 * reload starts over), or that the platform could not start at all. Shown before the frame
 * knows its locale, so it starts in English and follows `<html lang>` once the frame sets it.
 * Plain DOM: this runs before, and outside, the Preact app.
 */
export const noticeTexts = {
  en: {
    memory: "Demo mode: this browser does not let the marketplace keep data here, so everything lives in memory and a reload starts over.",
    failedTitle: "The demo platform could not start",
    failed: "This static demo runs its platform inside the page. It could not start here ({reason}). Open it from the same site as the host page, or connect a real platform.",
  },
  de: {
    memory: "Demomodus: Dieser Browser erlaubt dem Marktplatz hier keine Datenspeicherung. Alles liegt im Arbeitsspeicher, ein Neuladen beginnt von vorn.",
    failedTitle: "Die Demo-Plattform konnte nicht starten",
    failed: "Diese statische Demo führt ihre Plattform in der Seite aus. Hier konnte sie nicht starten ({reason}). Öffnen Sie sie von derselben Website wie die Host-Seite oder verbinden Sie eine echte Plattform.",
  },
  fr: {
    memory: "Mode démo : ce navigateur ne permet pas à la place de marché de conserver des données ici ; tout reste en mémoire et un rechargement repart de zéro.",
    failedTitle: "La plateforme de démo n'a pas pu démarrer",
    failed: "Cette démo statique exécute sa plateforme dans la page. Elle n'a pas pu démarrer ici ({reason}). Ouvrez-la depuis le même site que la page hôte, ou connectez une vraie plateforme.",
  },
} as const;
export type NoticeLanguage = keyof typeof noticeTexts;

export function noticeLanguage(lang: string): NoticeLanguage {
  const primary = lang.toLowerCase().split("-")[0];
  return Object.hasOwn(noticeTexts, primary) ? (primary as NoticeLanguage) : "en";
}

/** Shows the in-memory notice in `element` (a `role="status"` region), following `<html lang>`. */
export function showMemoryNotice(element: HTMLElement, doc: Document = document): () => void {
  const update = () => (element.textContent = noticeTexts[noticeLanguage(doc.documentElement.lang)].memory);
  update();
  element.hidden = false;
  const observer = new MutationObserver(update);
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ["lang"] });
  return () => observer.disconnect();
}

/** Replaces `root`'s content with the "could not start" state (the frame does not boot). */
export function showStartFailure(root: HTMLElement, reason: string, doc: Document = document): void {
  const texts = noticeTexts[noticeLanguage(doc.documentElement.lang)];
  const box = doc.createElement("div");
  box.className = "em-blocked";
  box.setAttribute("role", "alert");
  box.dataset.reason = "platformUnavailable";
  const title = doc.createElement("h1");
  title.className = "em-title";
  title.textContent = texts.failedTitle;
  const detail = doc.createElement("p");
  detail.className = "em-muted";
  detail.textContent = texts.failed.replace("{reason}", reason);
  box.append(title, detail);
  root.replaceChildren(box);
}
