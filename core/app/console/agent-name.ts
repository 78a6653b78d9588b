/**
A short name for a client, from its User-Agent: "Chrome 156", "Firefox 128",
"Safari 17", "curl 8", "node". The connections pane has room for about a dozen
characters, so this names the browser or tool and its major version, not the engine.

Hand-written rather than a UA-parser library: the pane needs a dozen well-known names,
and a full parser brings a large, often-updated table for no visible gain.
*/

interface AgentRule {
  readonly name: string;
  /** Captures the version, if the agent states one, in group 1. */
  readonly pattern: RegExp;
}

// Order matters: Edge, Opera, Samsung and headless Chrome also say "Chrome/", and
// Chrome also says "Safari/", so the more specific names come first.
const browserRules: readonly AgentRule[] = [
  { name: 'Edge', pattern: /\bEdg(?:e|A|iOS)?\/(\d+)/ },
  { name: 'Opera', pattern: /\b(?:OPR|Opera)\/(\d+)/ },
  { name: 'Samsung', pattern: /\bSamsungBrowser\/(\d+)/ },
  { name: 'HeadlessChrome', pattern: /\bHeadlessChrome\/(\d+)/ },
  { name: 'Chromium', pattern: /\bChromium\/(\d+)/ },
  { name: 'Chrome', pattern: /\b(?:Chrome|CriOS)\/(\d+)/ },
  { name: 'Firefox', pattern: /\b(?:Firefox|FxiOS)\/(\d+)/ },
  { name: 'Safari', pattern: /\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\// },
];

const toolRules: readonly AgentRule[] = [
  { name: 'curl', pattern: /^curl\/(\d+)/i },
  { name: 'wget', pattern: /^Wget\/(\d+)/i },
  { name: 'HTTPie', pattern: /^HTTPie\/(\d+)/i },
  { name: 'Postman', pattern: /^PostmanRuntime\/(\d+)/i },
  { name: 'Insomnia', pattern: /^insomnia\/(\d+)/i },
  { name: 'python', pattern: /^python-(?:requests|httpx|urllib\d?)\/(\d+)/i },
  { name: 'Go', pattern: /^Go-http-client\/(\d+)/i },
  { name: 'okhttp', pattern: /^okhttp\/(\d+)/i },
  // Node's fetch (and the eventsource package on it) sends "node"; older undici "undici".
  { name: 'node', pattern: /^(?:node|undici|Node\.js)(?:\/(\d+))?(?:[\s/.]|$)/i },
];

const longestName = 16;

function named(rule: AgentRule, match: RegExpMatchArray): string {
  const version = match[1];
  return version === undefined || rule.name === 'node' ? rule.name : `${rule.name} ${version}`;
}

/** A short, human name for a User-Agent header value; "-" when there is none. */
export function agentName(userAgent: string | undefined): string {
  const agent = (userAgent ?? '').trim();
  if (agent === '') return '-';
  for (const rule of toolRules) {
    const match = agent.match(rule.pattern);
    if (match) return named(rule, match);
  }
  if (agent.startsWith('Mozilla/')) {
    for (const rule of browserRules) {
      const match = agent.match(rule.pattern);
      if (match) return named(rule, match);
    }
  }
  // Anything else: its first product token ("sse-console/0.1.0" → "sse-console 0").
  const product = agent.match(/^([^\s/;()]+)(?:\/v?(\d+))?/);
  const name = product?.[1] ?? agent;
  const short = name.length > longestName ? `${name.slice(0, longestName - 1)}…` : name;
  return product?.[2] === undefined ? short : `${short} ${product[2]}`;
}
