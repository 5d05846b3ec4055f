/**
 * Two resolutions of a merge as one text with git's conflict markers, and
 * back (the spec's "Merge conflicts"): taking the first part of every
 * conflict gives ours exactly, the second theirs.  A `|||||||` section
 * (git's diff3 style) may come before `=======` and belongs to neither.
 */

import { splitlines } from './ipynb';
import { ParseError } from './reader';
import { opcodes } from './sequence';
import { pythonStrip, stringRepr } from './writer';

export const DEFAULT_MARKER_SIZE = 7;

// Python's `.` is any character but `\n`.
const MARKER = /^(<{7,}|\|{7,}|={7,}|>{7,})(?:[ \t][^\n]*)?\r?\n?$/;

/** The two versions a conflicted text holds, with where their lines come from. */
export interface ConflictSides {
  ours: string;
  theirs: string;
  /** The line number in the conflicted text of each line of ours, and of theirs. */
  oursLines: number[];
  theirsLines: number[];
  /** The line of the first `<<<<<<<` marker. */
  firstMarker: number;
  /** The length of the markers (git's marker-size, 7 by default). */
  markerSize: number;
}

/** The sides of a text with conflict markers; null if it has none. Throws ParseError if they do not pair up. */
export function conflictSides(text: string): ConflictSides | null {
  const ours: string[] = [];
  const theirs: string[] = [];
  const sides: ConflictSides = { ours: '', theirs: '', oursLines: [], theirsLines: [], firstMarker: 0, markerSize: DEFAULT_MARKER_SIZE };
  let section: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  let size = 0;
  splitlines(text).forEach((line, index) => {
    const number = index + 1;
    const marker = MARKER.exec(line)?.[1] ?? '';
    if (marker.startsWith('<') && section === 'both') {
      section = 'ours';
      size = marker.length;
      if (!sides.firstMarker) {
        sides.firstMarker = number;
        sides.markerSize = size;
      }
    } else if (marker === '|'.repeat(size) && section === 'ours') {
      section = 'base';
    } else if (marker === '='.repeat(size) && (section === 'ours' || section === 'base') && line.replace(/[\r\n]+$/, '') === marker) {
      section = 'theirs';
    } else if (marker === '>'.repeat(size) && section === 'theirs') {
      section = 'both';
    } else if ((marker && section !== 'both') || (/^[=>|]/.test(marker) && section === 'both')) {
      throw new ParseError(`unmatched git conflict marker ${stringRepr(marker.slice(0, 7))}`, number, 1);
    } else {
      if (section === 'both' || section === 'ours') {
        ours.push(line);
        sides.oursLines.push(number);
      }
      if (section === 'both' || section === 'theirs') {
        theirs.push(line);
        sides.theirsLines.push(number);
      }
    }
  });
  if (section !== 'both') {
    throw new ParseError("unterminated merge conflict (no '>>>>>>>' line)", text.split('\n').length, 1);
  }
  if (!sides.firstMarker) {
    return null;
  }
  sides.ours = ours.join('');
  sides.theirs = theirs.join('');
  return sides;
}

/**
 * The text holding both *ours* and *theirs*, and how many conflicts it has.
 * Differences within one cell (or one part of the notebook: a line at the
 * start of a line begins the next) are one conflict.
 */
export function withConflictMarkers(ours: string, theirs: string, markerSize = DEFAULT_MARKER_SIZE): [string, number] {
  const parts: string[] = [];
  let conflicts = 0;
  for (const [same, oursPart, theirsPart] of hunks(splitlines(ours), splitlines(theirs))) {
    if (same) {
      parts.push(...oursPart);
      continue;
    }
    conflicts++;
    parts.push('<'.repeat(markerSize) + ' ours\n', ...ended(oursPart), '='.repeat(markerSize) + '\n');
    parts.push(...ended(theirsPart), '>'.repeat(markerSize) + ' theirs\n');
  }
  return [parts.join(''), conflicts];
}

type Hunk = [boolean, string[], string[]];

/** The lines the texts share and those they do not, differences in one part joined. */
function hunks(ours: string[], theirs: string[]): Hunk[] {
  const codes = opcodes(ours, theirs);
  const result: Hunk[] = [];
  codes.forEach(([tag, oursStart, oursEnd, theirsStart, theirsEnd], index) => {
    const oursPart = ours.slice(oursStart, oursEnd);
    const theirsPart = theirs.slice(theirsStart, theirsEnd);
    const betweenDifferences = index > 0 && index < codes.length - 1;
    // Only keyword lines (cell heads, notebook_metadata) start at column 0.
    const inOnePart = oursPart.every(line => pythonStrip(line.slice(0, 1)) === '');
    if (tag === 'equal' && !(betweenDifferences && inOnePart)) {
      result.push([true, oursPart, theirsPart]);
    } else if (result.length && !result[result.length - 1][0]) {
      const [, oursBefore, theirsBefore] = result.pop()!;
      result.push([false, [...oursBefore, ...oursPart], [...theirsBefore, ...theirsPart]]);
    } else {
      result.push([false, oursPart, theirsPart]);
    }
  });
  return result;
}

function ended(lines: string[]): string[] {
  // .jupyter text always ends in a newline; a marker must start a line.
  if (lines.length && !lines[lines.length - 1].endsWith('\n')) {
    return [...lines.slice(0, -1), lines[lines.length - 1] + '\n'];
  }
  return lines;
}
