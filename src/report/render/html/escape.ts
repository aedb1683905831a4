// The one escape function for everything that goes into the HTML report and the SVG overlays.
// File names and texts are data, never markup: a file called `<img src=x onerror=alert(1)>.png`
// must show as text. Safe for element content and for double- or single-quoted attribute values.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value for HTML/SVG text or a quoted attribute. Control characters other than tab,
 *  newline and carriage return (invalid in XML, which librsvg parses) become U+FFFD. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}
