/** stage-lsp's JSON counts columns in Unicode code points; VS Code positions count UTF-16 code units. */

/** The UTF-16 column of a 1-based code-point column in `lineText` (0-based result, clamped to the line). */
export function utf16Column(lineText: string, codePointColumn: number): number {
  let units = 0;
  let points = 1;
  for (const ch of lineText) {
    if (points >= codePointColumn) break;
    units += ch.length;
    points += 1;
  }
  return units;
}
