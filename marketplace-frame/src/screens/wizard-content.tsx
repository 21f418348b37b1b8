/**
 * A config page's read-only content, above its fields: helper text (the safe markdown renderer,
 * T1), an image the platform serves from its own origin (so the frame's CSP needs no other
 * image source), a flow's webhook URL and a key the platform generated, each with a Copy button,
 * for the customer to paste into the third-party app. Elements the rules hide are left out.
 */
import { useState } from "preact/hooks";
import { paths } from "../../../contract/api-paths.ts";
import type { ConfigPage, DisplayElement } from "../../../contract/api-types.ts";
import { useFrame } from "../context.ts";
import { Markdown } from "../markdown.tsx";
import type { Wizard } from "../state/wizard.ts";
import { CopyField } from "../ui/copy-field.tsx";

function Figure({ src, alt }: { src: string; alt: string }) {
  const [state, setState] = useState<"loading" | "loaded" | "failed">("loading");
  if (state === "failed") return <p class="em-figure em-figure-failed">{alt}</p>;
  return (
    <figure class={`em-figure${state === "loaded" ? " em-figure-loaded" : ""}`}>
      <img src={src} alt={alt} decoding="async" onLoad={() => setState("loaded")} onError={() => setState("failed")} />
    </figure>
  );
}

function CopyBlock({ id, label, description, value, pending }: { id: string; label: string; description?: string; value: string | undefined; pending: string }) {
  const descId = description ? `${id}-desc` : undefined;
  return (
    <div class="em-copy-block">
      <label class="em-label" for={id}>
        {label}
      </label>
      {description && <Markdown source={description} class="em-help" id={descId} />}
      {value ? <CopyField id={id} value={value} label={label} describedBy={descId} /> : <p class="em-muted">{pending}</p>}
    </div>
  );
}

export function PageContent({ wizard: w, page }: { wizard: Wizard; page: ConfigPage }) {
  const { t, locale } = useFrame();
  const content = page.content ?? [];
  if (content.length === 0) return null;
  const shown = w.contentShown(page.name).value.split(" ");
  const instance = w.instance.value;
  const phrase = (i: number, part: string, fallback: string) => locale.content(`configPage.${w.integration.id}.${page.name}.content.${i}.${part}`, fallback);
  const element = (e: DisplayElement, i: number) => {
    const id = `em-content-${page.name}-${i}`;
    switch (e.kind) {
      case "markdown":
        return <Markdown key={i} source={phrase(i, "text", e.text)} class="em-page-text" />;
      case "image":
        return <Figure key={i} src={paths.integrationAsset(w.integration.id, e.asset)} alt={phrase(i, "alt", e.alt)} />;
      case "webhook-url":
      case "generated-key": {
        // Both exist from the draft on; until the platform has made one, the block says so.
        const value = e.kind === "webhook-url" ? instance.flows.find((f) => f.id === e.flow)?.webhookUrl : instance.configValues[e.key];
        return (
          <CopyBlock
            key={i}
            id={id}
            label={phrase(i, "label", e.label)}
            description={e.description && phrase(i, "description", e.description)}
            value={typeof value === "string" ? value : undefined}
            pending={t(e.kind === "webhook-url" ? "display.urlPending" : "display.keyPending")}
          />
        );
      }
    }
  };
  const visible = content.flatMap((e, i) => (shown[i] === "1" ? [element(e, i)] : []));
  return visible.length ? <div class="em-page-content">{visible}</div> : null;
}
