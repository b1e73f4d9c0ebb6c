import { useState } from 'react';
import { ApiError, api, download } from '../api.js';

/** Downloads files the API answers (`download`), keeping the name of the last one saved and the last failure to show. */
export function useDownload() {
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const get = (path: string, fallbackName?: string) => {
    setError(undefined);
    download(path, fallbackName).then(setSaved, (e: Error) => setError(e.message));
  };
  return { get, error, saved };
}

/** A GET of something that may not exist yet (a profile, a plan): null when the API answers 404. */
export function getOrNull<T>(path: string): Promise<T | null> {
  return api<T>('GET', path).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
}
