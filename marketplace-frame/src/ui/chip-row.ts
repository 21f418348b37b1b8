/**
 * A row of chips that scrolls sideways on a phone (styles.css: `.em-chips`, its end faded out over
 * its end padding) brings a chip that receives focus wholly into view, clear of the fade (the
 * chip's scroll-margin, which scrollIntoView honours). Chromium's own focus scrolling ignores
 * scroll-padding and scroll-margin, and scrolls nothing for a chip partly in view: Tab left
 * "Marketing" 43 px past the fade's start at 360 px, 11 px of it outside the row (ui13, measured
 * again in ui14). "nearest": nothing moves that is in view already, nor a row that does not scroll.
 */
export const chipInView = (e: FocusEvent): void => (e.target as Element).scrollIntoView({ block: "nearest", inline: "nearest" });
