const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For any text in markup or attributes: names, error messages and stderr come from the target and the scenario. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (char) => htmlEntities[char]!);
}

/**
 * JSON that is safe inside a <script> element: no `</script>` or `<!--` can close or confuse it,
 * and U+2028/U+2029 cannot break older JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Trusted JavaScript source (Chart.js, our own client script) inlined in a <script> element.
 * `</script` and `<!--` can only occur inside its strings or regexes, where `<\/` and `<\!` mean the same.
 */
export function scriptSource(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}
