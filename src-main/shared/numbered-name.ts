/** "name (n).ext": the name "keep both" gives the n-th copy of a file ("report.pdf", 2 → "report (2).pdf"). */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (${n})${ext}`;
}
