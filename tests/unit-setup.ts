/**
 * Setup for the `unit` vitest project. Component tests wait for lazily loaded screens (the
 * wizard and instance chunks); on a loaded 2-core CI machine the first import of a chunk can
 * take longer than testing-library's 1 s default, so waits get 5 s. Nothing here changes what
 * a test asserts.
 */
import { configure } from "@testing-library/preact";

configure({ asyncUtilTimeout: 5000 });
