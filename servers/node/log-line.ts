/**
 * A log message as one line: control characters (a newline in a username a client sent, say) are
 * written as escapes, so nothing a client sends can start a line of its own in the node's log.
 */
export function oneLogLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
