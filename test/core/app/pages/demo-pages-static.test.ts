import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findDemoPagesDir } from '../../../../core/app/pages/demo-pages-dir.js';
import { DEFAULT_PAGE_NAME, PAGES, findPage } from '../../../../core/app/pages/page-list.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const { parseCommandLine, commands: COMMANDS } = consoleLanguage;

const dir = findDemoPagesDir();
const assetsDir = join(dir, 'assets');
const htmlFiles = readdirSync(dir).filter((file) => file.endsWith('.html'));
const jsFiles = readdirSync(assetsDir).filter((file) => file.endsWith('.js'));
const read = (path: string) => readFileSync(path, 'utf8');

// These checks are what lets the pages run under `script-src 'self'; style-src 'self'`
// and keeps untrusted event data from ever being parsed as HTML.
describe('demo pages: nothing inline, nothing parsed as HTML', () => {
  it('finds the pages and their scripts', () => {
    expect(htmlFiles).toContain('index.html');
    expect(jsFiles).toContain('sse-demo.js');
  });

  it.each(htmlFiles)('%s: every <script> has a src', (file) => {
    const scripts = read(join(dir, file)).match(/<script\b[^>]*>/gi) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\bsrc\s*=\s*"\/assets\/[\w.-]+\.js"/);
  });

  it.each(htmlFiles)('%s: no inline event handlers, style attributes or <style> blocks', (file) => {
    const html = read(join(dir, file));
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it.each(jsFiles)('%s: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval', (file) => {
    const js = read(join(assetsDir, file));
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
      expect(js, sink).not.toContain(sink);
    }
  });

  it.each(jsFiles)('%s: no inline styles set from script', (file) => {
    const js = read(join(assetsDir, file));
    expect(js).not.toMatch(/\.style\b/);
    expect(js).not.toMatch(/setAttribute\(\s*['"]style/);
  });
});

describe('demo pages: every page has what the tests and users rely on', () => {
  const pageFiles = ['index', ...PAGES.map((page) => page.name)];

  it('has one HTML file and one script per listed page, and nothing else', () => {
    expect(htmlFiles.sort()).toEqual(pageFiles.map((name) => `${name}.html`).sort());
    for (const name of pageFiles) expect(existsSync(join(assetsDir, `${name}.js`)), name).toBe(true);
  });

  it.each(pageFiles)('%s: state badge, home link, shared CSS, own module script, viewport', (name) => {
    const html = read(join(dir, `${name}.html`));
    expect(html).toContain('id="state"');
    expect(html).toMatch(/<a class="home" href="\/"/);
    expect(html).toContain('<link rel="stylesheet" href="/assets/demo.css">');
    expect(html).toContain(`<script type="module" src="/assets/${name}.js"></script>`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('id="stream-url"');
  });

  it.each(pageFiles)('%s: its script uses the shared module', (name) => {
    expect(read(join(assetsDir, `${name}.js`))).toContain("from './sse-demo.js'");
  });

  it('every asset a page links to exists', () => {
    for (const file of htmlFiles) {
      for (const [, asset] of read(join(dir, file)).matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)) {
        expect(existsSync(join(assetsDir, asset ?? '')), `${file} → ${asset}`).toBe(true);
      }
    }
  });

  it('the index links every demo with its summary text and its console command', () => {
    const index = read(join(dir, 'index.html'));
    const text = index.replace(/<[^>]+>/g, '');
    for (const page of PAGES) {
      expect(index, page.name).toContain(`<li data-page="${page.name}">`);
      expect(index, page.name).toContain(`<a href="/${page.name}">${page.title}</a>`);
      expect(text, page.name).toContain(page.summary);
      expect(index, page.name).toContain(`<pre class="command">${page.tryCommand}</pre>`);
    }
  });

  it('ids the browser tests look for are present', () => {
    const expected: Record<string, string[]> = {
      textarea: ['<textarea id="events"', 'readonly'],
      clock: ['id="time"', 'every 1s send --channel clock --event tick --data "{time}"'],
      toggles: ['id="box-one"', 'id="box-two"', 'id="log"'],
      reconnect: [
        'id="log"',
        'id="verdict"',
        'id="ids"',
        'every 500ms send --channel reconnect --id --data "tick {n}"',
      ],
      'custom-event': [
        'id="custom-log"',
        'id="message-log"',
        'send --channel custom-event --event my-custom-event --data "Hello World! 1"',
      ],
      inspector: ['id="log"', 'id="toggle-connection"', 'id="type-name"', 'id="ready-states"', 'respond 204'],
    };
    for (const [name, needles] of Object.entries(expected)) {
      const html = read(join(dir, `${name}.html`));
      for (const needle of needles) expect(html, `${name}: ${needle}`).toContain(needle);
    }
  });
});

describe('demo pages: each demo on its own channel, and what they say to type reaches it', () => {
  const onChannels = PAGES.filter((page) => page.channel !== undefined);

  it('puts every demo but the textarea (the Racket page) and the pages without a demo stream on a channel', () => {
    expect(onChannels.map((page) => page.name)).toEqual(['clock', 'reconnect', 'custom-event', 'limits', 'inspector']);
    expect(findPage('textarea')?.channel).toBeUndefined();
  });

  it.each(onChannels)('$name: its script opens /events/$channel', (page) => {
    expect(read(join(assetsDir, `${page.name}.js`))).toMatch(
      new RegExp(`channel: '${page.name}'|CHANNEL = '${page.name}'`),
    );
  });

  it.each(onChannels)('$name: every send it tells you to type goes to its channel', (page) => {
    const commands = [page.tryCommand, ...commandsIn(read(join(dir, `${page.name}.html`)))];
    // Whole commands (a mention like `send --event` in prose is not one to type).
    const sends = commands.filter((command) => /^(every \S+ )?send /.test(command) && parseCommandLine(command).ok);
    if (page.name !== 'limits') expect(sends.length).toBeGreaterThan(0);
    for (const command of sends) expect(command, command).toContain(`--channel ${page.channel ?? ''}`);
  });

  it('every command block the pages show parses as a console command', () => {
    for (const file of htmlFiles) {
      for (const command of commandsIn(read(join(dir, file)), 'pre')) {
        const parsed = parseCommandLine(command);
        expect(parsed.ok, `${file}: ${command}`).toBe(true);
      }
    }
  });
});

/**
Text of each `<pre class="command">` (and `<code>`, unless `only` is 'pre') that starts
with a console command name, entities decoded; the launch line and placeholders left out.
*/
function commandsIn(html: string, only?: 'pre'): string[] {
  const names = new Set(COMMANDS.map((command) => command.name));
  const blocks =
    only === 'pre'
      ? /<pre class="command"[^>]*>([^<]*)<\/pre>/g
      : /<(?:pre class="command"[^>]*|code)>([^<]*)<\/(?:pre|code)>/g;
  return [...html.matchAll(blocks)]
    .map(([, text]) => (text ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&').trim())
    .filter((text) => names.has(text.split(' ')[0] ?? '') && !text.includes('…'));
}

describe('page list', () => {
  it('has unique, URL-safe names and the textarea page as the default', () => {
    const names = PAGES.map((page) => page.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*$/);
    expect(findPage(DEFAULT_PAGE_NAME)?.name).toBe('textarea');
    expect(PAGES[0]?.name).toBe(DEFAULT_PAGE_NAME);
  });

  it('finds pages by exact name only', () => {
    expect(findPage('clock')?.title).toBe('Clock');
    expect(findPage('Clock')).toBeUndefined();
    expect(findPage('index')).toBeUndefined();
  });

  it('gives every page a one-line summary', () => {
    for (const page of PAGES) {
      expect(page.summary).not.toContain('\n');
      expect(page.summary.length).toBeGreaterThan(20);
    }
  });
});

describe('findDemoPagesDir', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));

  it('finds demo-pages/ from the built module and from the source module', () => {
    for (const module of [
      'dist/bin/sse-console.js',
      'dist/core/app/pages/page-server.js',
      'core/app/pages/page-server.ts',
    ]) {
      expect(findDemoPagesDir(pathToFileURL(join(root, module)).href), module).toBe(join(root, 'demo-pages/'));
    }
  });

  it('says where it looked when the folder is missing', () => {
    expect(() => findDemoPagesDir(pathToFileURL('/nowhere/dist/core/app/pages/x.js').href)).toThrow(
      /demo-pages\/ not found; looked in \/nowhere\/dist\/core\/demo-pages\/, \/nowhere\/dist\/demo-pages\/ and \/nowhere\/demo-pages\//,
    );
  });
});
