/**
 * The longest common subsequence of two sequences under a `fits(row, column)` relation, by dynamic
 * programming (O(rows × columns)): the most pairs `[row, column]` with both indices increasing.
 * Among the longest, it takes each pair as early as possible, so the result is deterministic.
 */
export function longestCommonSubsequence(
  rows: number,
  columns: number,
  fits: (row: number, column: number) => boolean,
): Array<[number, number]> {
  // best[row][column]: the most pairs that the suffixes starting at row and column can form.
  const best = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  const fit = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => fits(row, column)),
  );
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = columns - 1; column >= 0; column--) {
      best[row]![column] = Math.max(
        best[row + 1]![column]!,
        best[row]![column + 1]!,
        fit[row]![column] ? best[row + 1]![column + 1]! + 1 : 0,
      );
    }
  }
  const pairs: Array<[number, number]> = [];
  let [row, column] = [0, 0];
  while (row < rows && column < columns) {
    const here = best[row]![column]!;
    if (fit[row]![column] && here === best[row + 1]![column + 1]! + 1) {
      pairs.push([row, column]);
      row++;
      column++;
    } else if (best[row]![column + 1] === here) {
      column++;
    } else {
      row++;
    }
  }
  return pairs;
}
