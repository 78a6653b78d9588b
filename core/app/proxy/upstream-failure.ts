import { describeNetworkError } from '../../index.js';
import { showLine } from '../../terminal/terminal-text.js';

/** Most columns of the upstream certificate's names quoted in a message: it is the upstream's text. */
const NAMES_LIMIT = 200;

/**
Node's codes for a certificate that does not lead to a CA this process trusts: a
self-signed certificate, or one signed by a local CA (mkcert, a company's) that
Node's own list lacks.
*/
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/** The names a certificate is for, from node:tls's ERR_TLS_CERT_ALTNAME_INVALID error. */
function certificateNames(error: unknown): string | undefined {
  const cert = (error as { cert?: { subjectaltname?: unknown } } | null)?.cert;
  // A certificate may name thousands of hosts, or hold control characters: cut and escaped.
  return typeof cert?.subjectaltname === 'string' && cert.subjectaltname !== ''
    ? showLine(cert.subjectaltname, NAMES_LIMIT)
    : undefined;
}

/**
Why the upstream could not be reached, in words the user can act on. The proxy has
no `--insecure` (a browser would not accept the certificate either): an untrusted
certificate is fixed by trusting its CA, which Node reads from NODE_EXTRA_CA_CERTS
(at start-up only) or, with --use-system-ca, from the system's store.
*/
export function describeUpstreamFailure(error: unknown, upstream: URL): string {
  const { code, message } = describeNetworkError(error, 'connect', upstream);
  const cannot = `could not connect to ${upstream.host}`;
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return (
      `${cannot}: its TLS certificate is not signed by a CA Node.js trusts (${code}); ` +
      'restart sse-console with NODE_EXTRA_CA_CERTS=path/to/ca.pem, the CA that signed it ' +
      '(for mkcert: rootCA.pem in the folder `mkcert -CAROOT` prints) or the self-signed certificate itself, ' +
      'or (Node.js 22.15 and newer) with NODE_OPTIONS=--use-system-ca if that CA is installed in the system store'
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = certificateNames(error);
    return (
      `${cannot}: its TLS certificate is not for ${upstream.hostname} (${code})` +
      `${names === undefined ? '' : `; it names ${names}`}: give the proxy a URL with a host the certificate names`
    );
  }
  // An https:// URL for an app that speaks plain HTTP: OpenSSL reads its answer as a bad TLS record.
  if (code === 'EPROTO' && error instanceof Error && /wrong version number/i.test(error.message)) {
    return `${cannot}: the app answered in plain HTTP, not TLS (EPROTO): give the proxy its http:// URL`;
  }
  return message;
}
