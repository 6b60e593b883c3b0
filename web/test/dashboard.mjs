// Drives the dashboard in headless Chromium for the node's browser test, one step at a time:
//   node web/test/dashboard.mjs
// reads one JSON command per line on stdin and answers each with one JSON line on stdout, so the Java test
// decides what happens between steps (publish with ffmpeg, check the API) and reads as the story it tells.
//   {"op":"open","url":...}                 load a page
//   {"op":"fill","selector":...,"value":...} type into a field
//   {"op":"click","selector":...,"text":?}   click the first visible match (optionally containing text)
//   {"op":"waitFor","selector":...,"text":?,"timeout":?}  until a match is visible; answers its text
//   {"op":"texts","selector":...}            the text of every match
//   {"op":"attribute","selector":...,"name":...}
//   {"op":"eval","expression":...}           a JavaScript expression's value in the page
//   {"op":"waitUntil","expression":...,"timeout":?}  until the expression is truthy; answers its value
//   {"op":"screenshot","path":...}
//   {"op":"problems"}                        console errors, page errors and failed requests so far
//   {"op":"close"}
// Answers: {"ok":true,"value":...} or {"ok":false,"error":"..."}.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const problems = [];
page.on('console', m => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
page.on('pageerror', e => problems.push('page error: ' + e.message));
page.on('requestfailed', r => {
  const why = r.failure()?.errorText ?? '';
  // A player torn down on purpose aborts its streaming request; that is not a problem.
  if (!why.includes('ERR_ABORTED')) problems.push('request failed: ' + r.url() + ' ' + why);
});

const DEFAULT_TIMEOUT = 30000;

function locate(c) {
  const l = page.locator(c.selector, c.text ? { hasText: c.text } : undefined);
  return c.visibleOnly === false ? l : l.filter({ visible: true });
}

const ops = {
  async open(c) { await page.goto(c.url); return page.url(); },
  async fill(c) { await locate(c).first().fill(c.value, { timeout: c.timeout ?? DEFAULT_TIMEOUT }); },
  async click(c) { await locate(c).first().click({ timeout: c.timeout ?? DEFAULT_TIMEOUT }); },
  async waitFor(c) {
    const first = locate(c).first();
    await first.waitFor({ state: 'visible', timeout: c.timeout ?? DEFAULT_TIMEOUT });
    return first.innerText();
  },
  async texts(c) { return page.locator(c.selector).allInnerTexts(); },
  async attribute(c) { return page.locator(c.selector).first().getAttribute(c.name, { timeout: DEFAULT_TIMEOUT }); },
  async eval(c) { return page.evaluate(c.expression); },
  // Polled from here: page.waitForFunction would evaluate the string with eval() inside the page, which the
  // dashboard's Content-Security-Policy rightly refuses.
  async waitUntil(c) {
    const deadline = Date.now() + (c.timeout ?? DEFAULT_TIMEOUT);
    let last;
    while (Date.now() < deadline) {
      last = await page.evaluate(c.expression);
      if (last) return last;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('not true within ' + (c.timeout ?? DEFAULT_TIMEOUT) + ' ms: ' + c.expression + ' (last: '
      + JSON.stringify(last) + ')');
  },
  async screenshot(c) { await page.screenshot({ path: c.path, fullPage: true }); return c.path; },
  async problems() { return problems.slice(); },
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  let command = {};
  try {
    command = JSON.parse(line);
    if (command.op === 'close') break;
    const op = ops[command.op];
    if (!op) throw new Error('unknown op ' + command.op);
    answer = { ok: true, value: (await op(command)) ?? null };
  } catch (e) {
    answer = { ok: false, error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await browser.close();
process.stdout.write(JSON.stringify({ ok: true, value: 'closed' }) + '\n');
