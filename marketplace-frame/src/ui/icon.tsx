/** An integration icon, loaded lazily, with the name's initials when it is missing or fails. */
import { useState } from "preact/hooks";
import { initials } from "./initials.ts";

/** Only images from https, this origin, or inline raster/vector data; anything else shows initials. */
function safeIconSrc(src: string): string | undefined {
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(src)) return src;
  try {
    const url = new URL(src, location.href);
    return url.protocol === "https:" || url.origin === location.origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}


export function IntegrationIcon({ src, name, size = "md" }: { src: string; name: string; size?: "md" | "lg" }) {
  const [failed, setFailed] = useState(false);
  const safe = failed ? undefined : safeIconSrc(src);
  return (
    <span class={`em-icon em-icon-${size}`} aria-hidden="true">
      {safe ? (
        <img src={safe} alt="" loading="lazy" decoding="async" onError={() => setFailed(true)} />
      ) : (
        <span class="em-icon-initials">{initials(name)}</span>
      )}
    </span>
  );
}
