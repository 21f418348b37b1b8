/**
 * The config wizard without a UI: the embedded wizard's behaviour and events, for a host that
 * draws its own form. The platform keeps the draft (each page is saved on `next`), so reopening
 * resumes after the last saved page, exactly like the frame.
 */
import type { ConfigPage, DeployResponse, Instance } from "./headless-api-types.ts";
import { pagePayload, type FormValues } from "./headless-config-form.ts";
import { EmporiumApiError } from "../client/error.ts";
import { ClientErrorCode } from "../contract/errors.ts";
import type { HeadlessEventName, HeadlessEventPayloads, Integration, Wizard, WizardTarget } from "./headless-types.ts";

/** What the wizard needs from the client (its own methods, so events fire once, from one place). */
export interface WizardDeps {
  getIntegration(id: string): Promise<Integration>;
  getInstance(id: string): Promise<Instance>;
  createInstance(integrationId: string): Promise<Instance>;
  saveConfigPage(instanceId: string, page: string, values: Readonly<Record<string, unknown>>): Promise<Instance>;
  deploy(instanceId: string, options: { idempotencyKey: string }): Promise<DeployResponse>;
  emit<K extends HeadlessEventName>(event: K, payload: HeadlessEventPayloads[K]): void;
}

/**
 * A failure whose outcome is unknown: the deploy may have happened, so a retry keeps its key (D2).
 * An answer not in the contract's shape (a body a proxy mangled or cut) may hide a deploy too.
 */
const outcomeUnknown = (e: unknown) =>
  !(e instanceof EmporiumApiError) ||
  e.code == ClientErrorCode.Network ||
  e.code == ClientErrorCode.Timeout ||
  e.code == ClientErrorCode.InvalidResponse ||
  e.code == "IDEMPOTENCY_IN_PROGRESS" ||
  e.status >= 500;

export async function openWizard(deps: WizardDeps, target: WizardTarget): Promise<Wizard> {
  let integration: Integration;
  let instance: Instance;
  if (typeof target == "object" && target !== null && "instanceId" in target && typeof target.instanceId == "string") {
    instance = await deps.getInstance(target.instanceId);
    integration = await deps.getIntegration(instance.integrationId);
  } else {
    const integrationId = typeof target == "string" ? target : (target as { integrationId?: unknown } | null)?.integrationId;
    if (typeof integrationId != "string" || integrationId == "") {
      throw new EmporiumApiError(ClientErrorCode.InvalidOption, "expected an integration id or { instanceId }");
    }
    integration = await deps.getIntegration(integrationId);
    const existing = integration.activation.instanceId;
    instance = existing ? await deps.getInstance(existing) : await deps.createInstance(integration.id);
  }

  const pages = integration.configPages;
  const reconfigure = instance.status != "draft";
  const values: FormValues = integration.initialValues(instance);
  const done = new Set(instance.completedPages);
  const resumeAt = pages.findIndex((p) => !done.has(p.name));
  let index = reconfigure ? 0 : resumeAt == -1 ? Math.max(0, pages.length - 1) : resumeAt;
  let open = true;
  let pending: Promise<unknown> | undefined;
  let pendingKind: "next" | "deploy" | undefined;
  let deployKey: string | undefined;

  const ids = () => ({ integrationId: integration.id, instanceId: instance.id });
  const pageLoaded = () =>
    deps.emit("instance-configuration-page-loaded", { ...ids(), pageName: pages[index]!.name, pageIndex: index, pageCount: pages.length });

  const assertOpen = () => {
    if (!open) throw new EmporiumApiError(ClientErrorCode.WizardClosed, "This wizard is closed; open a new one");
  };

  const merge = (input: Readonly<Record<string, unknown>> | undefined) => {
    if (input === undefined) return;
    if (typeof input != "object" || input === null || Array.isArray(input)) {
      throw new EmporiumApiError(ClientErrorCode.InvalidOption, "expected values as an object keyed by field key");
    }
    const known = new Set(pages.flatMap((p) => p.fields.map((f) => f.key)));
    // All or nothing: a refused value leaves every value as it was (what the user typed is kept).
    const merged: FormValues = {};
    for (const [key, value] of Object.entries(input)) {
      if (!known.has(key)) throw new EmporiumApiError(ClientErrorCode.InvalidOption, `${integration.name} has no field "${key}"`);
      try {
        merged[key] = structuredClone(value) as FormValues[string];
      } catch {
        // Never echo the value: it may be a secret.
        throw new EmporiumApiError(ClientErrorCode.InvalidOption, `the value of "${key}" is not data (a function or a symbol?)`);
      }
    }
    Object.assign(values, merged);
  };

  /** Lands platform field errors on the page that owns them, as the embedded wizard does. */
  const moveToErrors = (e: unknown) => {
    if (!(e instanceof EmporiumApiError) || !e.fields) return;
    const keys = Object.keys(e.fields);
    const owner = e.page ? pages.findIndex((p) => p.name == e.page) : pages.findIndex((p) => p.fields.some((f) => keys.includes(f.key)));
    if (owner >= 0 && owner != index) {
      index = owner;
      pageLoaded();
    }
  };

  async function saveCurrent(page: ConfigPage) {
    const problems = integration.validate(page, values, instance);
    if (Object.keys(problems).length) {
      throw new EmporiumApiError("VALIDATION_FAILED", `Some values on "${page.title}" are not valid`, 0, problems, page.name);
    }
    try {
      instance = await deps.saveConfigPage(instance.id, page.name, pagePayload(page, values));
    } catch (e) {
      moveToErrors(e);
      throw e;
    }
    // Typed secrets are now stored: the wizard stops holding them (and never re-sends them).
    const saved = integration.initialValues(instance);
    for (const field of page.fields) if (field.type == "connection" && saved[field.key] !== undefined) values[field.key] = saved[field.key]!;
  }

  /** One operation at a time; a second call of the same kind while one runs shares it (a double click deploys once, D1). */
  function exclusive<T>(kind: "next" | "deploy", run: () => Promise<T>): Promise<T> {
    if (pending) {
      if (pendingKind == kind) return pending as Promise<T>;
      return Promise.reject(new EmporiumApiError(ClientErrorCode.InvalidOption, `wait for ${pendingKind}() to finish first`));
    }
    pendingKind = kind;
    return (pending = run().finally(() => {
      pending = undefined;
      pendingKind = undefined;
    }));
  }

  function close() {
    if (!open) return;
    open = false;
    deps.emit("instance-configuration-closed", ids());
  }

  const wizard: Wizard = {
    get integration() {
      return integration;
    },
    get instance() {
      return instance;
    },
    reconfigure,
    pages,
    get index() {
      return index;
    },
    get current() {
      return pages[index]!;
    },
    get isLast() {
      return index >= pages.length - 1;
    },
    get values() {
      return values;
    },
    get open() {
      return open;
    },
    validate(input) {
      const page = pages[index];
      return page ? integration.validate(page, { ...values, ...(input ?? {}) }, instance) : {};
    },
    next(input) {
      return exclusive("next", async () => {
        assertOpen();
        merge(input);
        if (index >= pages.length - 1) throw new EmporiumApiError(ClientErrorCode.InvalidOption, "this is the last page: call deploy()");
        await saveCurrent(pages[index]!);
        index += 1;
        pageLoaded();
      });
    },
    back() {
      assertOpen();
      if (pending || index == 0) return;
      index -= 1;
      pageLoaded();
    },
    deploy(input) {
      return exclusive("deploy", async () => {
        assertOpen();
        merge(input);
        const page = pages[index];
        if (page) await saveCurrent(page);
        deployKey ??= crypto.randomUUID();
        try {
          const result = await deps.deploy(instance.id, { idempotencyKey: deployKey });
          deployKey = undefined;
          instance = result.instance;
          close();
          return result;
        } catch (e) {
          if (!outcomeUnknown(e)) deployKey = undefined;
          moveToErrors(e);
          throw e;
        }
      });
    },
    cancel() {
      if (!open) return;
      deps.emit("instance-configuration-canceled", ids());
      close();
    },
    close,
  };

  deps.emit("instance-configuration-opened", { integrationId: integration.id, integrationName: integration.name, instanceId: instance.id });
  if (pages.length) pageLoaded();
  return wizard;
}
