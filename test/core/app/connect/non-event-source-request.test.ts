import { describe, expect, it } from 'vitest';
import { describeNonEventSourceRequest } from '../../../../core/app/connect/non-event-source-request.js';

describe('describeNonEventSourceRequest', () => {
  it('says when EventSource could not make the request', () => {
    expect(describeNonEventSourceRequest('GET', false)).toBeUndefined();
    expect(describeNonEventSourceRequest('POST', true)).toContain('this is a POST request with a body');
  });
});
