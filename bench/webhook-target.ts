/**
 * The server side of the webhook benchmark, run as its own process (`node --import tsx
 * bench/webhook-target.ts <bare|platform> [stateDir]`) so the load generator does not steal
 * its event loop. Prints one JSON line `{ ready, url }` when it listens and stops on SIGTERM
 * (which also lets `--cpu-prof` write its profile).
 *
 * - `bare`: the floor: a node:http handler that reads the request body and answers 200 with a
 *   small JSON body, which is the least any webhook endpoint must do.
 * - `platform`: the real local HTTP platform server (MSW handlers, state persisted to a file
 *   in `stateDir`, like `npm start`), on a free loopback port.
 */
import { createServer } from "node:http";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { Store, startPlatformServer } from "../mock-server/index.ts";
import { mainThreadCpuUs } from "./thread-cpu.ts";

const [mode, stateDir] = process.argv.slice(2);

let stop: () => Promise<void>;
let url: string;
/** Durable writes so far (the platform's group commits); none for the bare floor. */
let writes = () => 0;
if (mode === "bare") {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
      const body = JSON.stringify({ executionId: "exe_bare", status: "succeeded" });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  stop = () =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
} else if (mode === "platform" || mode === "platform-memory") {
  const server = await startPlatformServer({
    host: "127.0.0.1",
    port: 0,
    ...(mode === "platform" ? { stateFile: join(stateDir ?? ".", "platform.db") } : {}),
    // One instance takes the whole load here: its per-instance rate limit would answer 429.
    policy: { webhookRateLimit: null },
  });
  url = server.url;
  stop = () => server.close();
  const store = Store.of(server.platform.snapshot());
  writes = () => store.durableWrites;
} else {
  throw new Error(`unknown mode ${mode}; use bare, platform or platform-memory`);
}

// `--profile`: the bench sends SIGUSR2 once its warm-up is done, so the CPU profile shows the
// steady state only (not tsx's module loading, start-up, deploy and JIT warm-up); it is written
// to EMPORIUM_PROFILE_FILE on SIGTERM.
const profileFile = process.env.EMPORIUM_PROFILE_FILE;
let profiling: Session | undefined;
if (profileFile) {
  process.on("SIGUSR2", () => {
    if (profiling) return;
    profiling = new Session();
    profiling.connect();
    profiling.post("Profiler.enable", () => profiling!.post("Profiler.start"));
  });
}

function writeProfile(): Promise<void> {
  const session = profiling;
  if (!session || !profileFile) return Promise.resolve();
  return new Promise((done) =>
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
      session.disconnect();
      done();
    }),
  );
}

// The bench asks for the counters around its measured phase (child-server.ts `stats`).
process.on("SIGUSR1", () => {
  const cpu = process.cpuUsage();
  const main = mainThreadCpuUs();
  console.log(JSON.stringify({ stats: { cpuUs: cpu.user + cpu.system, writes: writes(), ...(main !== undefined ? { mainCpuUs: main } : {}) } }));
});

process.on("SIGTERM", () => {
  void writeProfile()
    .then(() => stop())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ ready: true, url }));
