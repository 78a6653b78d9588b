/** The 16 basic terminal colours (a dark theme close to common terminal defaults). */
const basicColours = [
  '#1e1e1e',
  '#e06c75',
  '#98c379',
  '#e5c07b',
  '#61afef',
  '#c678dd',
  '#56b6c2',
  '#d4d4d4',
  '#7f848e',
  '#ff7b86',
  '#b5e890',
  '#ffd68a',
  '#8cc8ff',
  '#de9bf0',
  '#7fd8e3',
  '#ffffff',
];

/** xterm's 256-colour palette entry `n` as CSS. */
function palette(n: number): string {
  if (n < 16) return basicColours[n] ?? '#d4d4d4';
  if (n < 232) {
    const steps = [0, 95, 135, 175, 215, 255];
    const index = n - 16;
    const r = steps[Math.floor(index / 36)] ?? 0;
    const g = steps[Math.floor(index / 6) % 6] ?? 0;
    const b = steps[index % 6] ?? 0;
    return `rgb(${r},${g},${b})`;
  }
  const level = 8 + (n - 232) * 10;
  return `rgb(${level},${level},${level})`;
}

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Applies one SGR parameter list (`1;36`, `38;5;208` …) to `style`. */
function applySgr(style: Style, params: number[]): Style {
  let next: Style = { ...style };
  for (let i = 0; i < params.length; i += 1) {
    const code = params[i] ?? 0;
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code >= 30 && code <= 37) next.fg = palette(code - 30);
    else if (code >= 90 && code <= 97) next.fg = palette(code - 90 + 8);
    else if (code >= 40 && code <= 47) next.bg = palette(code - 40);
    else if (code >= 100 && code <= 107) next.bg = palette(code - 100 + 8);
    else if (code === 39) delete next.fg;
    else if (code === 49) delete next.bg;
    else if ((code === 38 || code === 48) && params[i + 1] === 5) {
      const colour = palette(params[i + 2] ?? 0);
      if (code === 38) next.fg = colour;
      else next.bg = colour;
      i += 2;
    } else if ((code === 38 || code === 48) && params[i + 1] === 2) {
      const colour = `rgb(${params[i + 2] ?? 0},${params[i + 3] ?? 0},${params[i + 4] ?? 0})`;
      if (code === 38) next.fg = colour;
      else next.bg = colour;
      i += 4;
    }
  }
  return next;
}

function css(style: Style, defaults: { fg: string; bg: string }): string {
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? defaults.bg, fg ?? defaults.fg];
  return [
    fg ? `color:${fg}` : '',
    bg ? `background:${bg}` : '',
    style.bold ? 'font-weight:bold' : '',
    style.dim ? 'opacity:0.6' : '',
    style.italic ? 'font-style:italic' : '',
    style.underline ? 'text-decoration:underline' : '',
  ]
    .filter(Boolean)
    .join(';');
}

/**
Turns terminal text with ANSI SGR colour codes (as `tmux capture-pane -e` prints it)
into HTML spans. Other escape sequences are dropped. Small and local because it only
has to render one screenshot of this project's own TUI.
*/
export function ansiToHtml(text: string, defaults = { fg: '#d4d4d4', bg: '#1e1e1e' }): string {
  let style: Style = {};
  let html = '';
  const pattern = /\u001B\[([0-9;]*)([A-Za-z])/g;
  let last = 0;
  const emit = (chunk: string): void => {
    if (chunk === '') return;
    const attributes = css(style, defaults);
    html += attributes === '' ? escapeHtml(chunk) : `<span style="${attributes}">${escapeHtml(chunk)}</span>`;
  };
  for (const match of text.matchAll(pattern)) {
    emit(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm') {
      style = applySgr(style, (match[1] === '' ? '0' : (match[1] ?? '0')).split(';').map(Number));
    }
  }
  emit(text.slice(last));
  return html;
}
