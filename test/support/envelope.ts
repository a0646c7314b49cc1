/**
 * What is wrong with an answer roster gave, judged by the rules every answer must keep: a request
 * id on every answer, and on every error OpenAI's envelope with its four keys. Undefined when
 * nothing is wrong. (`body` is the raw text; HEAD answers have none.)
 */
export function envelopeProblem(method: string, status: number, headers: Headers | Record<string, string>, body: string): string | undefined {
  const header = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? '';
  if (!/^req_[0-9a-f]{32}$/.test(header('x-request-id'))) return `no x-request-id on a ${status}`;
  if (status < 400 || method === 'HEAD') return undefined;
  if (!/application\/json/.test(header('content-type'))) return `a ${status} that is not JSON: ${body.slice(0, 80)}`;
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `a ${status} whose body is not JSON: ${body.slice(0, 80)}`;
  }
  const error = parsed?.error;
  const keys = error && typeof error === 'object' ? Object.keys(error).sort().join(',') : '';
  if (Object.keys(parsed ?? {}).join(',') !== 'error' || keys !== 'code,message,param,type' || typeof error.message !== 'string' || typeof error.type !== 'string') {
    return `a ${status} outside the envelope: ${body.slice(0, 120)}`;
  }
  return undefined;
}
