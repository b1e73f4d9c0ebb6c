/** The one way the web app talks to the server: the same JSON API as everyone else, with the session token. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'kumppani.token';

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** Told when the server no longer knows the session: the app goes to the login page. */
export const UNAUTHENTICATED = 'kumppani:unauthenticated';

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = session.token();
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (json as { error?: { code: string; message: string; fields?: FieldIssue[] } } | undefined)?.error;
    if (res.status === 401 && token) {
      session.clear();
      window.dispatchEvent(new Event(UNAUTHENTICATED));
    }
    throw new ApiError(res.status, error?.code ?? 'HTTP', error?.message ?? res.statusText, error?.fields ?? []);
  }
  return json as T;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Downloads a file the API answers (a payout file, a statement): fetched with the session, then
 * saved under the name the server gives. Returns that name.
 */
export async function download(path: string, fallbackName = 'download'): Promise<string> {
  const token = session.token();
  const res = await fetch(`/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const json = (await res.json().catch(() => undefined)) as
      | { error?: { code: string; message: string; fields?: FieldIssue[] } }
      | undefined;
    if (res.status === 401 && token) {
      session.clear();
      window.dispatchEvent(new Event(UNAUTHENTICATED));
    }
    throw new ApiError(res.status, json?.error?.code ?? 'HTTP', json?.error?.message ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
