/**
 * Setup for the `unit` vitest project. testing-library's waits (`waitFor`, `findBy…`) get the
 * one hang guard instead of their 1 s default (tests/wait-guard.ts): a component test waits for
 * lazily loaded screens, whose first import on a loaded 2-core machine can take seconds. Nothing
 * here changes what a test asserts.
 */
import { configure } from "@testing-library/preact";
import { UNIT_WAIT_GUARD_MS } from "./wait-guard.ts";

configure({ asyncUtilTimeout: UNIT_WAIT_GUARD_MS });
