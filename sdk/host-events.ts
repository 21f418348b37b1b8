/**
 * The events a host can listen to, in one list the framework entries (`emporium/react`,
 * `emporium/element`, `emporium/prismatic`) subscribe from. `resize` and `labels` are the SDK's
 * own business (autoHeight; its chrome's words). The core entry does not import this: it runs
 * only handlers registered under exactly an event's name, and the list would cost it bytes.
 */
import { lifecycleEventNames } from "../contract/protocol-constants.ts";
import type { EventName } from "./types.ts";

/**
 * Every event name a host can listen to: the frame's own, the lifecycle of instances, and the
 * frame's news that an instance can be updated or a connection needs a reconnect (the headless
 * client reads those from state).
 */
export const hostEvents = ["ready", "close", ...lifecycleEventNames, "instance-update-available", "connection-needs-reconnect", "warning", "error"] as const satisfies readonly EventName[];

/** An event a host can listen to. */
export type HostEventName = (typeof hostEvents)[number];

// Fails to type-check when the SDK gains an event this list leaves out.
const everyEventListed: Exclude<EventName, HostEventName | "resize" | "labels"> extends never ? true : false = true;
void everyEventListed;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** `instance-deployed` → `InstanceDeployed`: the part after `on` of a React prop. */
export type EventPropSuffix<K extends string> = Capitalize<Camel<K>>;

/** `instance-deployed` → `onInstanceDeployed`. */
export const eventProp = (name: string): string => "on" + name.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase());
