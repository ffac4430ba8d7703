/**
 * Minimum-cost assignment (the Hungarian algorithm with potentials, O(rows² × columns)): gives each
 * row its own column so that the summed cost is the least possible. `cost[row][column]` may be
 * Infinity for a pair that is not allowed. Needs rows ≤ columns and at least one assignment of finite
 * cost; returns the column of each row.
 */
export function minCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  if (rows === 0) return [];
  const columns = cost[0]!.length;
  if (cost.some((row) => row.length !== columns))
    throw new RangeError('every row of the cost matrix needs the same length');
  if (rows > columns) throw new RangeError(`cannot assign ${rows} rows to ${columns} columns`);
  // 1-based, as in the textbook algorithm: column 0 is a virtual start that holds the row being added.
  const rowPotential = new Array<number>(rows + 1).fill(0);
  const columnPotential = new Array<number>(columns + 1).fill(0);
  const rowOfColumn = new Array<number>(columns + 1).fill(0);
  const previousColumn = new Array<number>(columns + 1).fill(0);
  for (let row = 1; row <= rows; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    const slack = new Array<number>(columns + 1).fill(Infinity);
    const visited = new Array<boolean>(columns + 1).fill(false);
    do {
      visited[column] = true;
      const current = rowOfColumn[column]!;
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= columns; j++) {
        if (visited[j]) continue;
        const reduced = cost[current - 1]![j - 1]! - rowPotential[current]! - columnPotential[j]!;
        if (reduced < slack[j]!) {
          slack[j] = reduced;
          previousColumn[j] = column;
        }
        if (slack[j]! < delta) {
          delta = slack[j]!;
          next = j;
        }
      }
      if (delta === Infinity) throw new RangeError('no assignment of finite cost exists');
      for (let j = 0; j <= columns; j++) {
        if (visited[j]) {
          rowPotential[rowOfColumn[j]!]! += delta;
          columnPotential[j]! -= delta;
        } else {
          slack[j]! -= delta;
        }
      }
      column = next;
    } while (rowOfColumn[column] !== 0);
    // Flip the augmenting path back to the start.
    do {
      const previous = previousColumn[column]!;
      rowOfColumn[column] = rowOfColumn[previous]!;
      column = previous;
    } while (column !== 0);
  }
  const assignment = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= columns; j++) {
    if (rowOfColumn[j] !== 0) assignment[rowOfColumn[j]! - 1] = j - 1;
  }
  return assignment;
}
