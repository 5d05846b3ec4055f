/**
 * The opcodes of Python's `difflib.SequenceMatcher(None, a, b, autojunk=False)`,
 * which the spec names for aligning cells and lines: the same matches, so
 * that both implementations draw the same conflicts.
 */

export type Opcode = ['equal' | 'replace' | 'delete' | 'insert', number, number, number, number];

type Match = [number, number, number];

export function opcodes(a: readonly string[], b: readonly string[]): Opcode[] {
  const answer: Opcode[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj, size] of matchingBlocks(a, b)) {
    const tag = i < ai && j < bj ? 'replace' : i < ai ? 'delete' : j < bj ? 'insert' : '';
    if (tag) {
      answer.push([tag, i, ai, j, bj]);
    }
    i = ai + size;
    j = bj + size;
    if (size) {
      answer.push(['equal', ai, i, bj, j]);
    }
  }
  return answer;
}

function matchingBlocks(a: readonly string[], b: readonly string[]): Match[] {
  const positions = new Map<string, number[]>();
  b.forEach((element, index) => {
    const list = positions.get(element);
    if (list === undefined) {
      positions.set(element, [index]);
    } else {
      list.push(index);
    }
  });
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  const blocks: Match[] = [];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longestMatch(a, b, positions, alo, ahi, blo, bhi);
    if (k) {
      blocks.push([i, j, k]);
      if (alo < i && blo < j) {
        queue.push([alo, i, blo, j]);
      }
      if (i + k < ahi && j + k < bhi) {
        queue.push([i + k, ahi, j + k, bhi]);
      }
    }
  }
  blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const merged: Match[] = [];
  let [i1, j1, k1] = [0, 0, 0];
  for (const [i2, j2, k2] of blocks) {
    if (i1 + k1 === i2 && j1 + k1 === j2) {
      k1 += k2;
    } else {
      if (k1) {
        merged.push([i1, j1, k1]);
      }
      [i1, j1, k1] = [i2, j2, k2];
    }
  }
  if (k1) {
    merged.push([i1, j1, k1]);
  }
  merged.push([a.length, b.length, 0]);
  return merged;
}

/** The longest run of equal elements in a[alo:ahi] and b[blo:bhi]; the earliest of the longest. */
function longestMatch(
  a: readonly string[],
  b: readonly string[],
  positions: Map<string, number[]>,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number
): Match {
  let [besti, bestj, bestsize] = [alo, blo, 0];
  let lengths = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of positions.get(a[i]) ?? []) {
      if (j < blo) {
        continue;
      }
      if (j >= bhi) {
        break;
      }
      const k = (lengths.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
      }
    }
    lengths = next;
  }
  // Without junk, Python's extensions of the match over junk find nothing to add.
  return [besti, bestj, bestsize];
}
