import { existsSync } from 'node:fs';
import type * as NodeCrypto from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { TlsCredentials } from '../../index.js';
import { privateDirectoryProblem, writePrivateFile } from '../state/private-state.js';
import { errorMessage } from './error-message.js';
import { readTextFile } from './read-text-file.js';
import type { LogKind } from './types.js';

/** node:crypto, loaded when a certificate is checked (only with --http2): ~5 ms that start-up skips. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

/** The names the certificate is for: what a browser on this machine may type. */
const DNS_NAMES = ['localhost'] as const;
const IP_ADDRESSES = ['127.0.0.1', '::1'] as const;
/** A new certificate is valid this long; one with less than a day left is replaced. */
const VALID_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LocalhostCert extends TlsCredentials {
  readonly key: string;
  readonly cert: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** What happened (generated, reused, replaced and why), for the console log. */
  readonly notes: readonly { readonly kind: LogKind; readonly text: string }[];
}

/** The files of the localhost certificate in `dir` (the console's state directory). */
export function localhostCertFiles(dir: string): { readonly certFile: string; readonly keyFile: string } {
  return { certFile: join(dir, 'localhost-cert.pem'), keyFile: join(dir, 'localhost-key.pem') };
}

/** A PEM key or certificate chain is a few KiB; a stored file larger than this is not one. */
const MAX_PEM_BYTES = 64 * 1024;

/** Why a stored key and certificate cannot be used as they are, or undefined when they can. */
function problemWith(key: string, cert: string, now: Date): string | undefined {
  let x509: X509Certificate;
  try {
    x509 = new (crypto().X509Certificate)(cert);
  } catch (error) {
    return `the certificate cannot be read (${errorMessage(error)})`;
  }
  try {
    if (!x509.checkPrivateKey(crypto().createPrivateKey(key))) return 'the key does not belong to the certificate';
  } catch (error) {
    return `the key cannot be read (${errorMessage(error)})`;
  }
  if (Date.parse(x509.validTo) - now.getTime() < DAY_MS) return `the certificate expired (valid to ${x509.validTo})`;
  const names = x509.subjectAltName ?? '';
  const missing = [
    ...DNS_NAMES.filter((name) => !names.includes(`DNS:${name}`)),
    ...IP_ADDRESSES.filter((ip) => !x509.checkIP(ip)),
  ];
  if (missing.length > 0) return `the certificate does not cover ${missing.join(', ')}`;
  return undefined;
}

/** A new self-signed certificate for localhost, 127.0.0.1 and ::1 (P-256, SHA-256). */
async function generateLocalhostCert(now: Date): Promise<{ key: string; cert: string }> {
  // Loaded only for --http2: the console's start-up never pays for X.509 code.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60 * 60 * 1000), // an hour of clock skew
    notAfterDate: new Date(now.getTime() + VALID_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...DNS_NAMES.map((value) => ({ type: 2 as const, value })),
          ...IP_ADDRESSES.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function cannotWrite(dir: string, error: unknown): Error {
  return new Error(
    `--http2 needs a certificate for localhost kept in ${dir}, but it cannot be written there (${errorMessage(error)}); ` +
      'set XDG_STATE_HOME to a writable directory',
    { cause: error },
  );
}

/**
The certificate `--http2` serves: the one kept in `dir` when it is usable (readable,
its key matches, a day or more left, covers localhost, 127.0.0.1 and ::1), else a
new one generated and kept there (key file mode 0600, written through exclusively
created temporary files) for the next runs. Throws with a one-line reason when `dir`
cannot hold it, or when others can write in it (they could take or swap the key).
*/
export async function loadLocalhostCert(dir: string, now: Date = new Date()): Promise<LocalhostCert> {
  const { certFile, keyFile } = localhostCertFiles(dir);
  // A key kept where others can write could be read through a planted link, or swapped.
  let unsafe: string | undefined;
  try {
    unsafe = privateDirectoryProblem(dir);
  } catch (error) {
    throw cannotWrite(dir, error);
  }
  if (unsafe !== undefined) {
    throw new Error(`--http2 keeps the private key of its localhost certificate in ${dir}, but ${unsafe}`);
  }
  // Why the stored pair is not used; undefined when there is none yet (the first run).
  let reason: string | undefined;
  if (existsSync(keyFile) || existsSync(certFile)) {
    // The console's rules for files it did not write: regular files only (a FIFO would
    // hang the start, /dev/zero never ends), bounded, UTF-8.
    const key = readTextFile(keyFile, MAX_PEM_BYTES);
    const cert = readTextFile(certFile, MAX_PEM_BYTES);
    if (!key.ok) reason = `it cannot be read (${key.error})`;
    else if (!cert.ok) reason = `it cannot be read (${cert.error})`;
    else {
      reason = problemWith(key.text, cert.text, now);
      if (reason === undefined) {
        return {
          key: key.text,
          cert: cert.text,
          certFile,
          keyFile,
          notes: [{ kind: 'info', text: `HTTP/2 with the certificate in ${certFile}` }],
        };
      }
    }
  }

  const fresh = await generateLocalhostCert(now);
  try {
    writePrivateFile(keyFile, fresh.key, 0o600);
    writePrivateFile(certFile, fresh.cert, 0o644);
  } catch (error) {
    throw cannotWrite(dir, error);
  }
  const what = `a self-signed certificate for localhost, 127.0.0.1 and ::1 in ${certFile} (valid ${VALID_DAYS} days; browsers warn once, see README)`;
  return {
    ...fresh,
    certFile,
    keyFile,
    notes: [
      reason === undefined
        ? { kind: 'info', text: `HTTP/2: generated ${what}` }
        : { kind: 'warn', text: `HTTP/2: the stored certificate was replaced because ${reason}; generated ${what}` },
    ],
  };
}
