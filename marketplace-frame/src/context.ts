import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Frame } from "./frame.ts";

export const FrameContext = createContext<Frame | undefined>(undefined);

export function useFrame(): Frame {
  const frame = useContext(FrameContext);
  if (!frame) throw new Error("useFrame outside <FrameContext.Provider>");
  return frame;
}
