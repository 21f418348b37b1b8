/**
 * The failure-rehearsal switch (contract/scenario.ts), served only by the mock platform in
 * demo/test mode. The scenario never applies to these routes: a flaky platform can always be
 * switched back.
 */
import * as z from "zod/mini";
import { scenarioName, scenarioPath, scenarioState } from "../../../contract/scenario.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { parseWith } from "../request-input.ts";
import { apiRoute, type Route } from "../route.ts";

const NO_STORE = { headers: { "Cache-Control": "no-store" } };

export const scenarioRoutes: Route[] = [
  apiRoute({
    method: "get", path: scenarioPath, operationId: "getScenario", tag: "mock platform", auth: "none", mockOnly: true, scenario: false,
    summary: "The active failure-rehearsal scenario (mock platform in demo/test mode only)",
    responses: [{ status: 200, description: "Scenario", schema: "ScenarioState" }],
    errors: [C.NotFound],
    handle: ({ platform, reply }) => reply(platform.scenario.state(), NO_STORE),
  }),

  apiRoute({
    method: "put", path: scenarioPath, operationId: "setScenario", tag: "mock platform", auth: "none", mockOnly: true, scenario: false,
    summary: "Switch the failure-rehearsal scenario, by body or by `?scenario=<name>` (mock platform in demo/test mode only)",
    query: z.object({ scenario: z.optional(scenarioState.shape.scenario) }),
    body: { schema: "ScenarioRequest", required: false },
    responses: [{ status: 200, description: "Scenario", schema: "ScenarioState" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound],
    async handle({ platform, request, reply, parseBody }) {
      const fromQuery = new URL(request.url).searchParams.get("scenario");
      const { value } = await readJsonBody(request);
      const body =
        value === undefined && fromQuery !== null ? { scenario: parseWith(scenarioName, fromQuery, "scenario") } : parseBody(value, "scenario request");
      return reply(platform.scenario.set(body), NO_STORE);
    },
  }),
];
