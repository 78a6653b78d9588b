import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/project-root.js';

/*
Every relative link in README.md and docs/ leads somewhere: the file or folder
exists and, for a `#anchor`, the Markdown page has a heading with that anchor as
GitHub makes it. A newcomer reaches the docs by these links, so a page moved or a
heading renamed must not leave one dangling.
*/

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

function markdownFiles(): string[] {
  const docs = join(projectRoot, 'docs');
  const inDocs = readdirSync(docs, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(docs, name));
  return [join(projectRoot, 'README.md'), ...inDocs];
}

/** The text outside fenced code blocks, line by line (a fenced line becomes empty). */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return '';
    }
    return fence === undefined ? line : '';
  });
}

/** Inline code spans blanked out, so `[a](b)` inside code is not a link but [`a`](b) still is. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(.+?)\1/g, (span) => 'x'.repeat(span.length));
}

function linksIn(file: string): Link[] {
  const links: Link[] = [];
  proseLines(readFileSync(file, 'utf8')).forEach((raw, index) => {
    const line = withoutCodeSpans(raw);
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      links.push({ file, line: index + 1, target });
    }
  });
  return links;
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with one link, or undefined when it resolves. */
function problemOf(link: Link): string | undefined {
  const [pathPart = '', anchor] = link.target.split('#', 2);
  const path = pathPart === '' ? link.file : join(dirname(link.file), decodeURIComponent(pathPart));
  const fromRoot = relative(projectRoot, path).replace(/\/$/, '');
  if (!existsSync(path)) return `${fromRoot} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(path).isDirectory() || !path.endsWith('.md')) return `#${anchor} points into ${fromRoot}, not a page`;
  return anchorsOf(path).has(anchor) ? undefined : `${fromRoot} has no heading with the anchor #${anchor}`;
}

describe('links in README.md and docs/', () => {
  const files = markdownFiles();

  it('finds the pages and their links', () => {
    expect(files.map((file) => relative(projectRoot, file))).toEqual(
      expect.arrayContaining(['README.md', 'docs/guide.md', 'docs/library.md']),
    );
    expect(files.flatMap(linksIn).length).toBeGreaterThan(50);
  });

  it('resolves every relative link and #anchor', () => {
    const broken = files
      .flatMap(linksIn)
      .map((link) => ({ link, problem: problemOf(link) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ link, problem }) => `${relative(projectRoot, link.file)}:${link.line}: (${link.target}) ${problem}`);
    expect(broken).toEqual([]);
  });

  it('takes one click from the README to connect, proxy and the library', () => {
    const targets = linksIn(join(projectRoot, 'README.md')).map((link) => link.target);
    expect(targets).toEqual(expect.arrayContaining(['docs/connect.md', 'docs/proxy.md', 'docs/library.md']));
  });

  it('makes anchors as GitHub does', () => {
    expect(githubSlug('`--http2` (alias `--tls`)')).toBe('--http2-alias---tls');
    expect(githubSlug('The connection-limit lesson, and HTTP/2')).toBe('the-connection-limit-lesson-and-http2');
    expect(githubSlug('The library REPL: `sse-console --repl`')).toBe('the-library-repl-sse-console---repl');
  });
});
