import { describe, expect, it } from 'vitest';
import {
  describeNonEventSourceRequest,
  requestSemantics,
} from '../../../../core/app/connect/non-event-source-request.js';

describe('describeNonEventSourceRequest', () => {
  it('says when EventSource could not make the request', () => {
    expect(describeNonEventSourceRequest('GET', false)).toBeUndefined();
    expect(describeNonEventSourceRequest('POST', true)).toContain('this is a POST request with a body');
  });

  it('calls a GET without a body EventSource semantics, anything else fetch semantics', () => {
    expect(requestSemantics('get', false)).toBe('eventsource');
    expect(requestSemantics('GET', true)).toBe('fetch');
    expect(requestSemantics('POST', false)).toBe('fetch');
  });
});
