// @vitest-environment happy-dom
/**
 * The one role rule (ui/manage.tsx) on every screen with controls a viewer may not use, against
 * the real mock-platform handlers, with the session's answer held back: while it is held, no
 * screen offers a live management control to anyone (an admin's buttons hold their place as an
 * inert skeleton; the wizard waits); once it lands, a viewer still has none (and gets the notice),
 * an admin gets them all. A MutationObserver watches every change to the page from the first
 * render, so a button that flashes by for a viewer between two checks fails the test too.
 */
import { screen, waitFor, within } from "@testing-library/preact";
import { http } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHandlers, createPlatform, createTestOrganization, seedActivity, type ActivitySeed, type Platform, type TestOrganization } from "../../../mock-server/index.ts";
import type { FrameInit } from "../../../contract/protocol.ts";
import { ORIGIN } from "../../test/fake-platform.ts";
import { fakeHost, renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();
let platform: Platform;
let org: TestOrganization;
let seed: ActivitySeed;
let handlers: ReturnType<typeof createHandlers>;
const admin = { customer: "roles-co", customer_name: "Roles Co", sub: "roles-admin", name: "Ada Admin" };
const viewer = { ...admin, sub: "roles-viewer", name: "Vic Viewer", role: "viewer" };

beforeAll(async () => {
  platform = createPlatform();
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  handlers = createHandlers(platform);
  server.use(...handlers);
  seed = await seedActivity({ platformUrl: ORIGIN, token: await org.signToken(admin), orgApiKey: org.apiKey });
  const caller = await platform.access.authenticate(await org.signToken(admin));
  platform.connections.create(caller, { app: "Jira", name: "Ops Jira", credentials: { kind: "basic", username: "ops@roles.example", password: "token-1" } });
});
// The frame server drops every handler after each test (the held session's with them).
beforeEach(() => server.use(...handlers));
afterAll(() => platform.dispose());

/** Every control that changes something, by its accessible name, on any of these screens (English). */
const MANAGE =
  /^(Pause|Resume|Rename|Reconfigure|Deactivate|Reconnect|Update to version \d+|Continue update|Test|Test .+|Replay|Activate|Continue setup|Add another|Add connection|Delete|Acknowledge|Resolve|Edit: .+|Delete: .+|\+ Add monitor|Save and deploy)$/;
const nameOf = (b: Element) => (b.getAttribute("aria-label") ?? b.textContent ?? "").trim();
/** Management buttons a user could see, focus or click now (not inside the inert placeholder). */
const live = () => [...document.querySelectorAll("button")].filter((b) => MANAGE.test(nameOf(b)) && !b.closest("[inert]")).map(nameOf);
/** Wizard fields a user could type into now. */
const editable = () => [...document.querySelectorAll(".em-wizard input:not([readonly]):not([type=hidden]), .em-wizard textarea:not([readonly])")].length;

/** Holds every POST /session until `release()`; the request then goes on to the platform. */
function holdSession() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  server.use(http.post(`${ORIGIN}/api/v1/session`, () => gate.then(() => undefined)));
  return release;
}

/** Records, from now on, every moment at which a viewer could have used a management control. */
function watchForViewerControls() {
  const seen: string[] = [];
  const check = () => seen.push(...live(), ...(editable() ? ["an editable wizard field"] : []));
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  return {
    seen,
    stop: () => {
      check();
      observer.disconnect();
    },
  };
}

interface Case {
  name: string;
  init: () => Partial<FrameInit>;
  /** Resolves once the screen's own data is on screen (the session still held). */
  loaded(): Promise<unknown>;
  /** What an admin gets once the role is known. */
  adminGets: RegExp[];
  /** What a viewer reads instead, where the screen says so. */
  viewerReads?: string;
}

const cases: Case[] = [
  {
    name: "instance page: pause, rename, reconfigure, deactivate, reconnect, test, replay",
    init: () => ({ screen: { name: "instance", instanceId: seed.hubspot.id } }),
    loaded: () => screen.findByRole("heading", { level: 1, name: /HubSpot/ }).then(() => waitFor(() => expect(document.querySelector("[data-execution]")).toBeTruthy())),
    adminGets: [/^Pause$/, /^Rename$/, /^Reconfigure$/, /^Deactivate$/, /^Reconnect$/, /^Test .+/, /^Replay$/],
  },
  {
    name: "integration page: Activate",
    init: () => ({ screen: { name: "integration", integrationId: "slack" } }),
    // Its instances are in (their skeleton gone).
    loaded: () => screen.findByRole("heading", { level: 1, name: "Slack" }).then(() => waitFor(() => expect(document.querySelector(".em-detail .em-skeleton")).toBeNull())),
    adminGets: [/^Activate$/],
    viewerReads: "You have read-only access.",
  },
  {
    name: "connections: add, test, reconnect, rename, delete",
    init: () => ({ screen: { name: "connections" } }),
    loaded: () => screen.findByText("Ops Jira"),
    adminGets: [/^Add connection$/, /^Test$/, /^Reconnect$/, /^Rename$/, /^Delete$/],
    viewerReads: "You have read-only access: an admin can add, change or delete connections.",
  },
  {
    name: "activity overview: Reconnect",
    init: () => ({ screen: { name: "dashboard" } }),
    loaded: () => screen.findByRole("region", { name: /^Integrations/ }).then((r) => within(r).findByText("Needs reconnect")),
    adminGets: [/^Reconnect$/],
  },
  {
    name: "alerts and monitors: acknowledge, resolve, add, edit, delete",
    init: () => ({ screen: { name: "alerts", instanceId: seed.hubspot.id } }),
    loaded: () => Promise.all([screen.findByText(/"Check the pipeline" \(deploy\) failed/), screen.findByText("A run fails")]),
    adminGets: [/^Acknowledge$/, /^Resolve$/, /^\+ Add monitor$/, /^Edit: A run fails$/, /^Delete: A run fails$/],
    viewerReads: "You have read-only access. An admin can change monitors.",
  },
];

describe("A8 A9 one role rule: no management control before the role is known, none ever for a viewer", () => {
  for (const c of cases)
    for (const who of ["viewer", "admin"] as const)
      it(`A8 A9 ${c.name} (${who})`, async () => {
        const release = holdSession();
        const watch = who === "viewer" ? watchForViewerControls() : undefined;
        const user = who === "viewer" ? viewer : admin;
        const { frame } = await renderFrame({ host: fakeHost(async () => org.signToken(user)), token: await org.signToken(user), init: c.init() });
        await c.loaded();
        // Held: nobody gets a live control; an admin's hold their place, inert and hidden from assistive tech.
        expect(frame.session.canManage.value).toBeUndefined();
        expect(live()).toEqual([]);
        expect(document.querySelectorAll('[data-em-role-pending][inert][aria-hidden="true"]').length).toBeGreaterThan(0);
        if (c.viewerReads) expect(screen.queryByText(c.viewerReads)).toBeNull();

        release();
        await waitFor(() => expect(frame.session.canManage.value).toBe(who === "admin"));
        await waitFor(() => expect(document.querySelector("[data-em-role-pending]")).toBeNull());
        if (who === "admin") {
          for (const name of c.adminGets) expect((await screen.findAllByRole("button", { name })).length).toBeGreaterThan(0);
        } else {
          if (c.viewerReads) await screen.findByText(c.viewerReads);
          expect([...document.querySelectorAll("button")].map(nameOf).filter((n) => MANAGE.test(n))).toEqual([]);
          watch!.stop();
          expect(watch!.seen).toEqual([]);
        }
      });

  for (const who of ["viewer", "admin"] as const)
    it(`A8 the wizard (reconfigure) waits for the role: nobody types into a field that then locks (${who})`, async () => {
      const release = holdSession();
      const watch = who === "viewer" ? watchForViewerControls() : undefined;
      const user = who === "viewer" ? viewer : admin;
      const host = fakeHost(async () => org.signToken(user));
      await renderFrame({ host, token: await org.signToken(user), init: { screen: { name: "reconfigure", instanceId: seed.jira.id } } });
      // The draft is open (the host heard `ready`) while the form still shows its skeleton.
      await waitFor(() => expect(host.of("ready")).toHaveLength(1));
      expect(document.querySelector('[role="status"][aria-busy="true"]')).toBeTruthy();
      expect(document.querySelector(".em-wizard")).toBeNull();
      expect(editable()).toBe(0);

      release();
      await waitFor(() => expect(document.querySelector(".em-wizard input")).toBeTruthy());
      if (who === "admin") expect(editable()).toBeGreaterThan(0);
      else {
        expect(editable()).toBe(0);
        expect(screen.getAllByText("Set by your app").length).toBeGreaterThan(0);
        watch!.stop();
        expect(watch!.seen).toEqual([]);
      }
    });
});
