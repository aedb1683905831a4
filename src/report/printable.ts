// Text for a terminal: file names and messages may carry control characters (a customer's upload
// named with ESC sequences could retitle or clear the support agent's terminal), so they are
// shown as visible \xNN escapes. Kept dependency-free: the CLI's error path imports it at start-up.
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
