import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocalhostCert, localhostCertFiles } from '../../../../core/app/console/localhost-cert.js';

// The certificate --http2 serves: made on first use in the state directory, reused
// after, replaced (with a warning) when garbled, expired or for other names.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-cert-'));
  dirs.push(dir);
  return join(dir, 'sse-console'); // not there yet, as on a first run
}

describe('loadLocalhostCert', () => {
  it('generates a certificate for localhost, 127.0.0.1 and ::1 on first use, key file mode 0600', async () => {
    const dir = stateDir();
    const made = await loadLocalhostCert(dir);
    const { certFile, keyFile } = localhostCertFiles(dir);
    expect(made.notes).toEqual([
      { kind: 'info', text: expect.stringMatching(/^HTTP\/2: generated a self-signed certificate for localhost/) },
    ]);
    expect(readFileSync(certFile, 'utf8')).toBe(made.cert);
    expect(readFileSync(keyFile, 'utf8')).toBe(made.key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(made.cert);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
  });

  it('reuses the stored certificate on later runs', async () => {
    const dir = stateDir();
    const first = await loadLocalhostCert(dir);
    const second = await loadLocalhostCert(dir);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
    expect(second.notes).toEqual([{ kind: 'info', text: expect.stringMatching(/^HTTP\/2 with the certificate in /) }]);
  });

  it('replaces a garbled certificate file, and says so', async () => {
    const dir = stateDir();
    const first = await loadLocalhostCert(dir);
    writeFileSync(localhostCertFiles(dir).certFile, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n');
    const again = await loadLocalhostCert(dir);
    expect(again.cert).not.toBe(first.cert);
    expect(again.notes[0]?.kind).toBe('warn');
    expect(again.notes[0]?.text).toMatch(
      /^HTTP\/2: the stored certificate was replaced because the certificate cannot be read/,
    );
    expect(readFileSync(localhostCertFiles(dir).certFile, 'utf8')).toBe(again.cert);
  });

  it('replaces stored files that are not files (a FIFO key, a certificate linked to /dev/zero) without hanging', async () => {
    const dir = stateDir();
    await loadLocalhostCert(dir);
    const { keyFile, certFile } = localhostCertFiles(dir);
    rmSync(keyFile);
    execFileSync('mkfifo', [keyFile]);
    const afterFifo = await loadLocalhostCert(dir);
    expect(afterFifo.notes[0]?.text).toMatch(
      /replaced because it cannot be read \(.*localhost-key\.pem is not a regular file/,
    );
    expect(statSync(keyFile).isFile()).toBe(true);
    rmSync(certFile);
    symlinkSync('/dev/zero', certFile);
    const afterDevice = await loadLocalhostCert(dir);
    expect(afterDevice.notes[0]?.text).toMatch(
      /replaced because it cannot be read \(.*localhost-cert\.pem is not a regular file/,
    );
    expect(lstatSync(certFile).isFile()).toBe(true);
  });

  it('replaces a key that does not belong to the certificate', async () => {
    const one = stateDir();
    const other = stateDir();
    await loadLocalhostCert(one);
    const foreign = await loadLocalhostCert(other);
    writeFileSync(localhostCertFiles(one).keyFile, foreign.key);
    const again = await loadLocalhostCert(one);
    expect(again.notes[0]?.text).toMatch(/because the key does not belong to the certificate/);
  });

  it('replaces a certificate that has expired (or expires within a day)', async () => {
    const dir = stateDir();
    const first = await loadLocalhostCert(dir);
    const nextYear = new Date(Date.now() + 366 * 24 * 60 * 60 * 1000);
    const again = await loadLocalhostCert(dir, nextYear);
    expect(again.cert).not.toBe(first.cert);
    expect(again.notes[0]?.text).toMatch(/because the certificate expired \(valid to /);
  });

  it('says what is wrong when the state directory cannot hold the certificate', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sse-console-cert-'));
    dirs.push(parent);
    const blocked = join(parent, 'sse-console');
    writeFileSync(blocked, 'a file where the directory should be');
    chmodSync(blocked, 0o600);
    await expect(loadLocalhostCert(blocked)).rejects.toThrow(
      /^--http2 needs a certificate for localhost kept in .*sse-console, but it cannot be written there \(/,
    );
  });

  it('never writes the key through a symlink planted where its temporary file used to be', async () => {
    const dir = stateDir();
    mkdirSync(dir, { mode: 0o700 });
    const target = join(dirname(dir), 'planted-target');
    writeFileSync(target, 'the planter reads this file\n');
    const { keyFile, certFile } = localhostCertFiles(dir);
    for (const file of [keyFile, certFile]) symlinkSync(target, `${file}.${process.pid}.tmp`);
    const made = await loadLocalhostCert(dir);
    expect(readFileSync(target, 'utf8')).toBe('the planter reads this file\n');
    expect(lstatSync(keyFile).isFile()).toBe(true);
    expect(readFileSync(keyFile, 'utf8')).toBe(made.key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('refuses a state directory other users can write, saying what to do, and writes nothing there', async () => {
    const dir = stateDir();
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    await expect(loadLocalhostCert(dir)).rejects.toThrow(
      `--http2 keeps the private key of its localhost certificate in ${dir}, but ${dir} can be written by other users (mode 0777); run \`chmod 700 ${dir}\` or set XDG_STATE_HOME to a directory of your own`,
    );
    expect(readdirSync(dir)).toEqual([]);
    chmodSync(dir, 0o700);
    await expect(loadLocalhostCert(dir)).resolves.toMatchObject({ keyFile: localhostCertFiles(dir).keyFile });
  });
});
