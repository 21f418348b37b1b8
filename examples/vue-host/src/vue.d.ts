// Single-file components, for the type checker (vite compiles them; tsc does not read them).
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent;
  export default component;
}
