import { describe, expect, it } from 'vitest';
import { isLocalHostHeader, isLoopbackAddress } from '../../../../core/http/request-host.js';
import { contentTypeFor, resolveInside } from '../../../../core/app/pages/static-files.js';

describe('isLoopbackAddress', () => {
  it('accepts 127.0.0.0/8 and ::1, plain or IPv4-mapped', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
  });

  it('refuses every other address', () => {
    for (const address of [
      undefined,
      '',
      '10.0.0.1',
      '192.168.1.5',
      '::ffff:10.0.0.1',
      '128.0.0.1',
      '127.0.0.1.evil',
      'fe80::1',
    ]) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    }
  });
});

describe('isLocalHostHeader', () => {
  it('accepts local names with or without a port, and the bound host', () => {
    for (const host of [
      'localhost',
      'localhost:8080',
      'LOCALHOST:8080',
      'app.localhost:8080',
      '127.0.0.1:8080',
      '[::1]:8080',
    ]) {
      expect(isLocalHostHeader(host, '127.0.0.1'), host).toBe(true);
    }
    expect(isLocalHostHeader('devbox:8080', 'devbox')).toBe(true);
  });

  it('refuses other names, a missing header and junk', () => {
    for (const host of [
      undefined,
      '',
      'attacker.example',
      'attacker.example:8080',
      'localhost.attacker.example',
      'a b',
    ]) {
      expect(isLocalHostHeader(host, '127.0.0.1'), String(host)).toBe(false);
    }
  });
});

describe('resolveInside', () => {
  const root = '/srv/assets';

  it('resolves plain and nested names inside the root', () => {
    expect(resolveInside(root, 'demo.css')).toBe('/srv/assets/demo.css');
    expect(resolveInside(root, 'img/logo%20big.svg')).toBe('/srv/assets/img/logo big.svg');
  });

  it('refuses anything that leaves the root or hides a dotfile', () => {
    for (const path of [
      '../x',
      '..%2fx',
      '%2e%2e/x',
      'a/../../x',
      '',
      '.env',
      'a/.git/config',
      '%00',
      'x%00.js',
      '%E0%A4%A',
    ]) {
      expect(resolveInside(root, path), path).toBeUndefined();
    }
  });
});

describe('contentTypeFor', () => {
  it('knows the page kinds and falls back to bytes', () => {
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });
});
