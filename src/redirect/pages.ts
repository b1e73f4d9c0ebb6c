/** The small pages a visitor sees when a link cannot take them anywhere. No scripts, no assets. */
function page(title: string, text: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${title}</title>` +
    '<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;' +
    'color:#222;background:#fafafa}main{max-width:28rem;padding:2rem;text-align:center}h1{font-size:1.4rem}</style>' +
    `</head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`
  );
}

export const notFoundPage = Buffer.from(
  page('Link not found', 'This link does not exist. Check the address, or ask whoever shared it for a new one.'),
);

export const gonePage = Buffer.from(
  page(
    'This link has ended',
    'The link was turned off or has expired. The creator who shared it may have a newer one.',
  ),
);

export const unavailablePage = Buffer.from(
  page('Try again in a moment', 'The link could not be opened just now. Please reload the page.'),
);
