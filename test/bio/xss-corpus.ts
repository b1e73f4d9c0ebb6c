/**
 * Payloads that break out of element text, attribute values, style sheets and URLs, written for
 * these tests (after the classes of the OWASP XSS filter evasion cheat sheet). Each one that ran
 * would set `window.__xss`.
 */
export const xssPayloads = [
  '<script>window.__xss=1</script>',
  '"><script>window.__xss=2</script>',
  "'><img src=x onerror=window.__xss=3>",
  '<img src=x onerror="window.__xss=4">',
  '<svg onload=window.__xss=5>',
  '" onmouseover="window.__xss=6" x="',
  "' autofocus onfocus='window.__xss=7' x='",
  '</title><script>window.__xss=8</script>',
  '</style><script>window.__xss=9</script>',
  '<iframe srcdoc="<script>parent.__xss=10</script>">',
  '<a href="javascript:window.__xss=11">tap</a>',
  '&lt;script&gt;window.__xss=12&lt;/script&gt;',
  '<math><mi xlink:href="javascript:window.__xss=13">x</mi></math>',
  '<details open ontoggle=window.__xss=14>',
  '<body onload=window.__xss=15>',
  '`"\'><video><source onerror="window.__xss=16">',
  '<!--<script>window.__xss=17</script>-->',
  '<scr<script>ipt>window.__xss=18</scr</script>ipt>',
  '\u003cscript\u003ewindow.__xss=19\u003c/script\u003e',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=20">',
];

/** Colours and handles a page must refuse outright: each would reach CSS or a URL path. */
export const badColours = [
  'red;}body{display:none}',
  '#fff;background:url(javascript:alert(1))',
  '</style><script>alert(1)</script>',
  'expression(alert(1))',
  '#12345',
  '#1234567',
  'rgb(0,0,0)',
];

export const badHandles = [
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'krista/../../api',
  'krista%2f..',
  'krista fit',
  '.krista',
  'KRISTA',
  'krista\u0000',
];
