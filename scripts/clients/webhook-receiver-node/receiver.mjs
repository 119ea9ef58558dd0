// A Turnabout webhook receiver: verifies every delivery with the public `standardwebhooks` package
// and deduplicates on `webhook-id`. Run: TURNABOUT_WEBHOOK_SECRET=whsec_... node receiver.mjs [port]
// (port 0 picks a free one). Prints the port, then one JSON line per delivery:
// {"id", "type", "verified", "duplicate", "error"}.
import http from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.TURNABOUT_WEBHOOK_SECRET);
const seen = new Set();

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8"); // verify the exact bytes received
    const id = request.headers["webhook-id"];
    try {
      const event = webhook.verify(body, request.headers);
      const duplicate = seen.has(id);
      seen.add(id);
      console.log(JSON.stringify({ id, type: event.type, verified: true, duplicate }));
      response.writeHead(204).end(); // answer fast; do the work after acknowledging
    } catch (error) {
      console.log(JSON.stringify({ id, verified: false, error: String(error) }));
      response.writeHead(400).end();
    }
  });
});

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
