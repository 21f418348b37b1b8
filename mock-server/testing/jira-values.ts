/**
 * Valid values for every page of the demo catalog's Jira integration (mock-server/fixtures/
 * catalog.ts: a basic-auth connection on "connect", the project on "issues"), for domain tests
 * that deploy one. `password` varies the stored secret (a test that looks for it at rest).
 */
export const jiraValues = (password = "token-9876") => ({
  connect: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password } },
  issues: { projectKey: "OPS" },
});
