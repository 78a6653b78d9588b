import { describe, expect, it } from 'vitest';
import { describeUpstreamFailure } from '../../../../core/app/proxy/upstream-failure.js';

/** node:tls's error for a certificate that does not name the host, carrying the upstream's certificate. */
function altNameError(subjectaltname: string): Error {
  return Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    cert: { subjectaltname },
  });
}

describe('describeUpstreamFailure', () => {
  it("quotes a hostile certificate's names cut to one bounded line, control characters escaped", () => {
    const names = `DNS:a.test\u001b[2J\r\n${Array.from({ length: 2000 }, (_, i) => `DNS:host${i}.test`).join(', ')}`;
    const message = describeUpstreamFailure(altNameError(names), new URL('https://127.0.0.1:8443/'));
    expect(message).toContain('its TLS certificate is not for 127.0.0.1');
    expect(message).toContain('it names DNS:a.test');
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    // Unbounded, the 2,000 names made a message of about 40,000 characters.
    expect(message.length).toBeLessThan(600);
  });
});
