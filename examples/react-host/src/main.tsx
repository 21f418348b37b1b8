/** @jsxImportSource react */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "./styles.css";

// StrictMode mounts, unmounts and remounts every component once in development: `<Marketplace>`
// must end with exactly one embed (it does; the tests run the production build, where it is a no-op).
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
