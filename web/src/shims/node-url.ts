/** The browser's own IDNA conversion, for the server schemas that normalise host names. */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return '';
  }
}
