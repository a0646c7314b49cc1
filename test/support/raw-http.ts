import net from 'node:net';

/** One HTTP/1.1 answer read off a raw socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Splits what a server wrote on a socket into answers (Content-Length framed; roster never chunks
 * errors). `methods` lists the requests' methods in order: an answer to HEAD has no body.
 */
export function parseAnswers(text: string, methods: string[] = []): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyLength = methods[answers.length] === 'HEAD' ? 0 : length;
    answers.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + bodyLength) });
    rest = rest.slice(end + 4 + bodyLength);
  }
  return answers;
}

/**
 * Writes `data` as is to a fresh connection and returns everything the server wrote until it closed
 * the connection (or `idleMs` passed without it doing so), and whether it closed.
 */
export function exchange(origin: string, data: string | Buffer, idleMs = 2000): Promise<{ text: string; closedByServer: boolean; reset: boolean }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(data));
    let text = '';
    let reset = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer: false, reset });
    }, idleMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => (reset = true));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedByServer: true, reset });
    });
  });
}
