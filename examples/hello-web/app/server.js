// A tiny web server: the service meshdeploy's demo builds inside the room.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 8000);
createServer((request, response) => {
  if (request.url === "/health") return void response.writeHead(200).end("ok\n");
  response.writeHead(200, { "content-type": "text/plain" });
  response.end(`hello from ${process.env.APP_ENV ?? "somewhere"}\n`);
}).listen(port, () => console.log(`listening on :${port}`));
