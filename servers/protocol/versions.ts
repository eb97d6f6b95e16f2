/** Orders version ids (hex strings, any width, leading zeros allowed) by their numeric value. */
export function compareVersions(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0);
}
