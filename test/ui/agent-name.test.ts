import { describe, expect, it } from 'vitest';
import { agentName } from '../../core/app/console/agent-name.js';

describe('agentName', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      'Chrome 156',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36',
      'HeadlessChrome 131',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox 128'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      'Safari 17',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Safari 17',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
      'Edge 124',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0',
      'Opera 110',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      'Samsung 25',
    ],
    ['curl/8.5.0', 'curl 8'],
    ['Wget/1.21.4', 'wget 1'],
    ['HTTPie/3.2.2', 'HTTPie 3'],
    ['python-requests/2.31.0', 'python 2'],
    ['Go-http-client/1.1', 'Go 1'],
    ['PostmanRuntime/7.39.0', 'Postman 7'],
    ['node', 'node'],
    ['undici', 'node'],
    ['Node.js/20', 'node'],
    ['sse-console/0.1.0', 'sse-console 0'],
    ['Mozilla/5.0 (compatible; SomeBot)', 'Mozilla 5'],
    ['a-very-long-product-name-that-goes-on/2.0', 'a-very-long-pro… 2'],
  ])('%s → %s', (userAgent, expected) => {
    expect(agentName(userAgent)).toBe(expected);
  });

  it('says "-" when there is no agent', () => {
    expect(agentName('')).toBe('-');
    expect(agentName('   ')).toBe('-');
    expect(agentName(undefined)).toBe('-');
  });

  it('does not mistake a tool name inside a browser agent for the tool', () => {
    expect(agentName('nodejs-client')).toBe('nodejs-client');
  });
});
