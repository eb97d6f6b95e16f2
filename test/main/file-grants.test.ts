import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_GRANT_TTL_MS, FileGrants, MAX_GRANTS, UPLOAD_GRANT_TTL_MS } from '../../src-main/main/file-grants.js';

/** Grants on a clock the test moves by hand. */
function grantsAt(options: { maxEntries?: number; path?: path.PlatformPath } = {}) {
  const clock = { now: 1_000_000 };
  const grants = new FileGrants({ now: () => clock.now, path: options.path ?? path.posix, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) });
  return { grants, clock };
}

describe('upload grants', () => {
  it('lets a dropped file be read by the very path the preload reported, and nothing else', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos/cat.jpg');
    expect(grants.mayUpload('/home/u/photos/cat.jpg')).toBe(true);
    expect(grants.mayUpload('/home/u/.ssh/id_rsa')).toBe(false);
    expect(grants.mayUpload('/home/u/photos/dog.jpg')).toBe(false);
    expect(grants.mayUpload('/home/u/photos')).toBe(false);
  });

  it('compares paths resolved, so another spelling of a granted path is the same path', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos/./cat.jpg');
    expect(grants.mayUpload('/home/u/photos/cat.jpg')).toBe(true);
    expect(grants.mayUpload('/home/u/x/../photos/cat.jpg')).toBe(true);
    expect(grants.mayUpload('/home/u/photos//cat.jpg')).toBe(true);
  });

  it('covers what is inside a dropped folder, which the host walks', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos');
    expect(grants.mayUpload('/home/u/photos')).toBe(true);
    expect(grants.mayUpload('/home/u/photos/2024/cat.jpg')).toBe(true);
  });

  it('refuses a way out of a granted folder with .. segments', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos');
    expect(grants.mayUpload('/home/u/photos/../.ssh/id_rsa')).toBe(false);
    expect(grants.mayUpload('/home/u/photos/2024/../../.bashrc')).toBe(false);
    expect(grants.mayUpload('/home/u/photos/..')).toBe(false);
  });

  it('does not take a name that merely starts like a granted folder for something inside it', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos');
    expect(grants.mayUpload('/home/u/photos-private/key.pem')).toBe(false);
    expect(grants.mayUpload('/home/u/photo')).toBe(false);
  });

  it('refuses relative, empty and NUL-bearing paths, and grants nothing for them', () => {
    const { grants } = grantsAt();
    for (const bad of ['photos/cat.jpg', '', '/home/u/cat.jpg\0.txt', '.']) {
      grants.grantUploadSource(bad);
      expect(grants.mayUpload(bad)).toBe(false);
    }
    expect(grants.size.uploads).toBe(0);
    expect(grants.mayUpload(42 as unknown as string)).toBe(false);
  });

  it('expires an hour after it was given, and a fresh report renews it', () => {
    const { grants, clock } = grantsAt();
    grants.grantUploadSource('/home/u/a.txt');
    clock.now += UPLOAD_GRANT_TTL_MS - 1;
    expect(grants.mayUpload('/home/u/a.txt')).toBe(true);
    clock.now += 1;
    expect(grants.mayUpload('/home/u/a.txt')).toBe(false);
    grants.grantUploadSource('/home/u/a.txt');
    expect(grants.mayUpload('/home/u/a.txt')).toBe(true);
  });

  it('keeps at most the configured number, forgetting the oldest first', () => {
    const { grants } = grantsAt({ maxEntries: 3 });
    for (const name of ['a', 'b', 'c', 'd']) grants.grantUploadSource(`/f/${name}`);
    expect(grants.size.uploads).toBe(3);
    expect(grants.mayUpload('/f/a')).toBe(false);
    expect(['/f/b', '/f/c', '/f/d'].every((p) => grants.mayUpload(p))).toBe(true);
    // Granting b again makes it the youngest, so c is the next to go.
    grants.grantUploadSource('/f/b');
    grants.grantUploadSource('/f/e');
    expect(grants.mayUpload('/f/b')).toBe(true);
    expect(grants.mayUpload('/f/c')).toBe(false);
  });

  it('holds 10 000 by default and drops expired ones as new ones arrive', () => {
    expect(MAX_GRANTS).toBe(10_000);
    const { grants, clock } = grantsAt();
    for (let i = 0; i < MAX_GRANTS + 50; i++) grants.grantUploadSource(`/drop/${i}.txt`);
    expect(grants.size.uploads).toBe(MAX_GRANTS);
    expect(grants.mayUpload('/drop/49.txt')).toBe(false);
    expect(grants.mayUpload(`/drop/${MAX_GRANTS + 49}.txt`)).toBe(true);
    clock.now += UPLOAD_GRANT_TTL_MS;
    grants.grantUploadSource('/drop/new.txt');
    expect(grants.size.uploads).toBe(1);
  });

  it('gives upload grants no power over downloads', () => {
    const { grants } = grantsAt();
    grants.grantUploadSource('/home/u/photos');
    expect(grants.takeDownload('/home/u/photos/cat.jpg')).toBeUndefined();
  });
});

describe('download grants', () => {
  it('lets exactly the file chosen in the save dialog be written, once', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFile('/home/u/Downloads/report.pdf');
    expect(grants.takeDownload('/home/u/Downloads/report.pdf/x')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/other.pdf')).toBeUndefined();
    expect(grants.takeDownload('/home/u/.bashrc')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/./report.pdf')).toEqual({ kind: 'chosen-file' });
    expect(grants.takeDownload('/home/u/Downloads/report.pdf')).toBeUndefined();
  });

  it('lets the files named for a chosen folder be written inside it, each once, and nothing else in it', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFolder('/home/u/Downloads', ['a.txt', 'docs/2024/b.txt']);
    const inFolder = { kind: 'in-folder', folder: '/home/u/Downloads' };
    expect(grants.takeDownload('/home/u/Downloads/setup.exe')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/docs/c.txt')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/a.txt')).toEqual(inFolder);
    expect(grants.takeDownload('/home/u/Downloads/docs/2024/b.txt')).toEqual(inFolder);
    expect(grants.takeDownload('/home/u/Downloads/a.txt')).toBeUndefined();
  });

  it('grants no name that leads out of the chosen folder, or is the folder itself', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFolder('/home/u/Downloads', ['../.bashrc', 'docs/../../.ssh/authorized_keys', '/etc/passwd', '', '.', 'x\0y', '..', '..hidden']);
    expect(grants.size.downloads).toBe(1);
    expect(grants.takeDownload('/home/u/.bashrc')).toBeUndefined();
    expect(grants.takeDownload('/home/u/.ssh/authorized_keys')).toBeUndefined();
    expect(grants.takeDownload('/etc/passwd')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/..hidden')).toEqual({ kind: 'in-folder', folder: '/home/u/Downloads' });
  });

  it('compares a destination resolved, but refuses a relative one', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFolder('/home/u/Downloads', ['a.txt', 'b.txt']);
    expect(grants.takeDownload('Downloads/a.txt')).toBeUndefined();
    expect(grants.takeDownload('/home/u/Downloads/./docs/../a.txt')).toEqual({ kind: 'in-folder', folder: '/home/u/Downloads' });
    expect(grants.takeDownload('/home/u/x/../Downloads/b.txt')).toEqual({ kind: 'in-folder', folder: '/home/u/Downloads' });
  });

  it('expires ten minutes after the dialog', () => {
    const { grants, clock } = grantsAt();
    grants.grantDownloadFolder('/home/u/Downloads', ['a.txt', 'b.txt']);
    grants.grantDownloadFile('/home/u/one.txt');
    clock.now += DOWNLOAD_GRANT_TTL_MS - 1;
    expect(grants.takeDownload('/home/u/Downloads/a.txt')).toBeDefined();
    clock.now += 1;
    expect(grants.takeDownload('/home/u/Downloads/b.txt')).toBeUndefined();
    expect(grants.takeDownload('/home/u/one.txt')).toBeUndefined();
  });

  it('does not turn a chosen file into a folder grant', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFile('/home/u/out');
    expect(grants.takeDownload('/home/u/out/inner.txt')).toBeUndefined();
  });

  it('gives download grants no power over uploads', () => {
    const { grants } = grantsAt();
    grants.grantDownloadFolder('/home/u', ['.bashrc']);
    grants.grantDownloadFile('/home/u/.profile');
    expect(grants.mayUpload('/home/u/.bashrc')).toBe(false);
    expect(grants.mayUpload('/home/u/.profile')).toBe(false);
  });
});

describe('grants with Windows paths', () => {
  it('compares drive paths without case and with either separator, and still refuses traversal', () => {
    const { grants } = grantsAt({ path: path.win32 });
    grants.grantDownloadFolder('C:\\Users\\a\\Downloads', ['docs/b.txt', 'b.txt', 'x.txt', '../NTUSER.DAT']);
    expect(grants.takeDownload('C:\\Users\\a\\Downloads\\docs\\b.txt')).toEqual({ kind: 'in-folder', folder: 'C:\\Users\\a\\Downloads' });
    expect(grants.takeDownload('c:/users/A/downloads/b.txt')).toBeDefined();
    expect(grants.takeDownload('C:\\Users\\a\\Downloads\\..\\NTUSER.DAT')).toBeUndefined();
    expect(grants.takeDownload('C:\\Users\\a\\Downloads2\\x.txt')).toBeUndefined();
    expect(grants.takeDownload('D:\\Users\\a\\Downloads\\x.txt')).toBeUndefined();
  });

  it('lets each of several names that differ only in case be downloaded once into a chosen folder', () => {
    const { grants } = grantsAt({ path: path.win32 });
    grants.grantDownloadFolder('C:\\Users\\a\\Downloads', ['Report.txt', 'report.txt']);
    const inFolder = { kind: 'in-folder', folder: 'C:\\Users\\a\\Downloads' };
    expect(grants.takeDownload('C:\\Users\\a\\Downloads\\Report.txt')).toEqual(inFolder);
    expect(grants.takeDownload('C:\\Users\\a\\Downloads\\report.txt')).toEqual(inFolder);
    expect(grants.takeDownload('C:\\Users\\a\\Downloads\\report.txt')).toBeUndefined();
  });

  it('keeps a granted file to itself on another drive or share', () => {
    const { grants } = grantsAt({ path: path.win32 });
    grants.grantUploadSource('\\\\server\\share\\photos\\cat.jpg');
    expect(grants.mayUpload('\\\\server\\share\\photos\\cat.jpg')).toBe(true);
    expect(grants.mayUpload('\\\\server\\share\\photos\\dog.jpg')).toBe(false);
    expect(grants.mayUpload('\\\\other\\share\\photos\\cat.jpg')).toBe(false);
  });
});
