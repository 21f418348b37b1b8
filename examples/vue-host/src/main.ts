// The Vue host: define <emporium-marketplace> once, then mount the app that uses it.
import { createApp } from "vue";
import { defineMarketplaceElement } from "emporium/element";
import App from "./App.vue";
import "./styles.css";

defineMarketplaceElement();
createApp(App).mount("#app");
