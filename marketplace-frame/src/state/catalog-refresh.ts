/**
 * The marketplace list again after a lazy screen changed an instance (deploy, pause, resume,
 * delete, upgrade): a card's state, instance counts and "Update available" come from the
 * platform, never guessed on the client (several instances of one integration make guessing
 * wrong). The list stays on screen meanwhile; a failure keeps it as it was.
 */
import type { Frame } from "../frame.ts";

export async function refreshCatalog(frame: Frame): Promise<void> {
  try {
    const list = await frame.api.listIntegrations();
    frame.catalog.set(list.integrations, list.categories, list.labels);
  } catch {
    // The offline banner already says why; the next change or a reload brings it up to date.
  }
}
