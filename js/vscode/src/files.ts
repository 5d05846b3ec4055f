// Writing a file so that it is never left half written: the new bytes go to a
// temporary file beside it, which then replaces it in one rename.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Replaces the file at *target* (through symbolic links) with *bytes*. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const real = await realPathOrSelf(target);
  const mode = await fs.stat(real).then(
    stat => stat.mode & 0o7777,
    () => 0o666
  );
  const directory = path.dirname(real);
  const temporary = path.join(directory, `.${path.basename(real)}.${process.pid}.jupyter-format.tmp`);
  const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.unlink(temporary);
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temporary, real);
  } catch (error) {
    await fs.unlink(temporary);
    throw error;
  }
}

async function realPathOrSelf(target: string): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch {
    return target;
  }
}
