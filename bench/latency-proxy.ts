/**
 * A platform that far away: a reverse proxy on loopback that holds every request for `delayMs`
 * before passing it on to the platform, so each request the frame makes (its document, script,
 * stylesheet, API calls) costs one injected round trip. Connections are kept alive (as a browser
 * keeps them to one origin), so TCP and TLS set-up are not modelled. The proxy runs in the
 * bench's process: the floor and the product pay its (sub-millisecond) cost alike.
 */
import { createServer, request, Agent } from "node:http";
import { once } from "node:events";

export interface LatencyProxy {
  url: string;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => {
      setTimeout(() => {
        const upstream = request(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host }, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => {
          res.writeHead(502).end();
        });
        upstream.end(Buffer.concat(body));
      }, delayMs);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
