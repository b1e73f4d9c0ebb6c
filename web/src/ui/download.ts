import { useState } from 'react';
import { download } from '../api.js';

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
