import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { hashOrgApiKey } from "./org-keys.ts";
import { DEMO_ORG_API_KEY, DEMO_ORG_API_KEY_SHA256 } from "../fixtures/demo-org.ts";
import { setupMockPlatform } from "../transports/setup-server.ts";
import { orgCustomerList, orgPaths } from "../../contract/org-api.ts";
import * as z from "zod/mini";

describe("organization API keys", () => {
  it("the documented demo key is the one whose SHA-256 the demo organization registers", async () => {
    expect(await hashOrgApiKey(DEMO_ORG_API_KEY)).toBe(DEMO_ORG_API_KEY_SHA256);
    expect(createHash("sha256").update(DEMO_ORG_API_KEY).digest("hex")).toBe(DEMO_ORG_API_KEY_SHA256);
  });

  it("the demo key opens the demo organization's API, and the snapshot holds only its hash", async () => {
    const mock = setupMockPlatform();
    mock.listen();
    try {
      const response = await fetch(`http://platform.test${orgPaths.customers()}`, { headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}` } });
      expect(response.status).toBe(200);
      z.parse(orgCustomerList, await response.json());
      const stored = JSON.stringify(mock.platform.snapshot());
      expect(stored).toContain(DEMO_ORG_API_KEY_SHA256);
      expect(stored).not.toContain(DEMO_ORG_API_KEY);
    } finally {
      await mock.close();
    }
  });
});
