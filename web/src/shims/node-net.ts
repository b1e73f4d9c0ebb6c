/** What the server schemas ask of node:net: is this text an IP address (4 or 6), or not (0)? */
export function isIP(input: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(input)) return 4;
  if (input.includes(':') && /^[0-9a-fA-F:.]+$/.test(input)) return 6;
  return 0;
}
