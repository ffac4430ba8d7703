import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileErrorReason, makeDirectory, writeFileAtomic } from '../../src/core/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'russo-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: NodeJS.ErrnoException) => error,
  );
}

describe('makeDirectory', () => {
  it('makes a folder and its parents, and accepts one that exists', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeDirectory(deep);
    await makeDirectory(deep);
    await Promise.all([makeDirectory(join(dir, 'x', 'y')), makeDirectory(join(dir, 'x', 'z'))]);
    expect((await stat(deep)).isDirectory()).toBe(true);
    expect((await readdir(join(dir, 'x'))).sort()).toEqual(['y', 'z']);
  });

  it('fails with ENOTDIR under a file and for a file in the way', async () => {
    await writeFile(join(dir, 'afile'), '');
    expect((await failure(makeDirectory(join(dir, 'afile', 'sub')))).code).toBe('ENOTDIR');
    expect((await failure(makeDirectory(join(dir, 'afile')))).code).toBe('ENOTDIR');
  });

  it('fails under /proc instead of spinning (a parent that exists but cannot hold a child)', async () => {
    expect((await failure(makeDirectory('/proc/russo-no-such-folder/a/b'))).code).toBe('ENOENT');
  });
});

describe('writeFileAtomic', () => {
  it('writes a file in new folders, replaces an older one, and leaves no temporary file', async () => {
    const path = join(dir, 'out', 'report.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(join(dir, 'out'))).toEqual(['report.json']);
  });

  it('writes through a symbolic link, which stays a link', async () => {
    await writeFile(join(dir, 'real.json'), 'old');
    await symlink(join(dir, 'real.json'), join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'new');
    expect((await lstat(join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'link.json'))).toBe(join(dir, 'real.json'));
    expect(await readFile(join(dir, 'real.json'), 'utf8')).toBe('new');
  });

  it('writes a device in place instead of renaming a file over it', async () => {
    await writeFileAtomic('/dev/null', 'gone');
    const error = await failure(writeFileAtomic('/dev/full', 'too much'));
    expect(fileErrorReason(error)).toBe('ENOSPC (no space left on device)');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect((await stat('/dev/full')).isCharacterDevice()).toBe(true);
  });

  it('writes text given in chunks as they are made, and keeps the old file when making them fails', async () => {
    const path = join(dir, 'report.json');
    const pulled: number[] = [];
    function* chunks(fail: boolean): Generator<string> {
      for (let index = 0; index < 3; index++) {
        pulled.push(index);
        if (fail && index === 2) throw new Error('the renderer broke');
        yield `chunk ${index};`;
      }
    }
    await writeFileAtomic(path, chunks(false));
    expect(await readFile(path, 'utf8')).toBe('chunk 0;chunk 1;chunk 2;');
    expect(pulled).toEqual([0, 1, 2]);
    await expect(writeFileAtomic(path, chunks(true))).rejects.toThrow('the renderer broke');
    expect(await readFile(path, 'utf8')).toBe('chunk 0;chunk 1;chunk 2;');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('fails with the reason when the folder cannot be made, and leaves nothing behind', async () => {
    await writeFile(join(dir, 'afile'), '');
    const error = await failure(writeFileAtomic(join(dir, 'afile', 'report.json'), '{}'));
    expect(fileErrorReason(error)).toBe('ENOTDIR (not a directory)');
    expect(await readdir(dir)).toEqual(['afile']);
  });
});

describe('fileErrorReason', () => {
  it('names the system error and says what it means; other errors by their message', () => {
    expect(fileErrorReason(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(
      'EACCES (permission denied)',
    );
    expect(fileErrorReason(new Error('the renderer broke'))).toBe('the renderer broke');
    expect(fileErrorReason('plain')).toBe('plain');
  });
});
