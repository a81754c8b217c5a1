#!/usr/bin/env node
// A correct connector for contract v2 and v3 in Node.js (v20+, built-in fetch, no npm
// dependencies), driven by Drawbridge's command driver: JSON lines on stdin/stdout.
//
//   drawbridge run --connector "command:node examples/connectors/node/connector.js"
//
// Protocol (docs/driver-protocol.md): one JSON request per line on stdin, exactly one JSON
// answer per line on stdout, in order. {"op": "hello"} asks for the identity. The bank's base
// URL and the core's version come from DRAWBRIDGE_BANK_URL and DRAWBRIDGE_CORE_VERSION.
//
// Behaviour, the same as examples/connectors/reference_py:
// - money in integer minor units; an Idempotency-Key derived from the caller's business intent
//   and reused on every retry of that intent, so a lost answer never books twice;
// - Retry-After honoured (503), bounded retries with backoff on 5xx and broken connections;
// - the bank's reasonCode and lockedUntil passed to the caller, never the message text;
// - unknown fields and values ignored (tolerant reader);
// - v3's asynchronous drawdowns polled a bounded number of times, then reported pending;
// - on 410 with a successor-version link it moves to that version when it speaks it.
'use strict';

const crypto = require('node:crypto');
const readline = require('node:readline');

const IDENTITY = { name: 'reference-node', version: '1.0.0', contracts: ['v2', 'v3'] };
const SUPPORTED = ['v2', 'v3'];
const KEY_OK = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_WAIT_SECONDS = 30;
const MAX_ATTEMPTS = 6;
const POLLS = 10;
const REQUEST_TIMEOUT_MS = 10000;

const bankUrl = (process.env.DRAWBRIDGE_BANK_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
let version = SUPPORTED.includes(process.env.DRAWBRIDGE_CORE_VERSION)
  ? process.env.DRAWBRIDGE_CORE_VERSION : 'v2';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt) => Math.min(50 * 2 ** attempt, 1000);

/** One key per business intent; long or odd intents are hashed into the allowed alphabet. */
function idempotencyKey(intent) {
  if (KEY_OK.test(intent)) return intent;
  return 'intent-' + crypto.createHash('sha256').update(intent).digest('hex').slice(0, 40);
}

/** One HTTP exchange, body read completely: a connection cut mid-answer throws here. */
async function exchange(method, path, body, key) {
  const headers = {};
  if (key) headers['Idempotency-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${bankUrl}/${version}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: response.status, headers: response.headers, json };
}

/** Switch to the successor version named by a 410's Link header, if this connector speaks it. */
function followSuccessor(answer) {
  const match = /<\/(v\d+)>/.exec(answer.headers.get('link') || '');
  if (match && SUPPORTED.includes(match[1]) && match[1] !== version) {
    version = match[1];
    return true;
  }
  return false;
}

/** The request with retries: Retry-After on 503, backoff on 5xx and broken connections. */
async function call(method, path, { body, key } = {}) {
  let waited = 0;
  let lastError = null;
  let answer = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    try {
      answer = await exchange(method, path, body, key);
    } catch (error) { // dropped, or the answer was lost: retry with the same key
      lastError = error;
      answer = null;
      await sleep(backoff(attempt));
      continue;
    }
    if (answer.status === 410 && followSuccessor(answer)) continue;
    if (answer.status === 503) {
      const delay = Number.parseFloat(answer.headers.get('retry-after') || '1');
      const seconds = Number.isFinite(delay) && delay >= 0 ? delay : 1;
      if (waited + seconds > MAX_WAIT_SECONDS) return answer;
      await sleep(seconds * 1000);
      waited += seconds;
      continue;
    }
    if (answer.status >= 500 && attempt < MAX_ATTEMPTS - 1) {
      await sleep(backoff(attempt));
      continue;
    }
    return answer;
  }
  if (answer) return answer;
  throw lastError || new Error('bank unreachable');
}

function refusal(answer) {
  const problem = answer.json && typeof answer.json === 'object' ? answer.json : {};
  const outcome = { outcome: 'rejected', reason: problem.reasonCode || 'UNKNOWN' };
  if (typeof problem.detail === 'string') outcome.detail = problem.detail;
  if (problem.lockedUntil) outcome.lockedUntil = problem.lockedUntil;
  return outcome;
}

function result(answer) {
  return answer.status < 400 ? { outcome: 'succeeded' } : refusal(answer);
}

function drawdownOutcome(drawdown) {
  if (drawdown.status === 'DISBURSED') return { outcome: 'succeeded', drawdownId: drawdown.drawdownId };
  if (drawdown.status === 'PENDING') return { outcome: 'pending', drawdownId: drawdown.drawdownId };
  const rejection = drawdown.rejection && typeof drawdown.rejection === 'object' ? drawdown.rejection : {};
  const outcome = { outcome: 'rejected', reason: rejection.reasonCode || 'UNKNOWN' };
  if (drawdown.drawdownId) outcome.drawdownId = drawdown.drawdownId;
  if (rejection.lockedUntil) outcome.lockedUntil = rejection.lockedUntil;
  return outcome;
}

async function settle(drawdownId) {
  for (let poll = 0; poll < POLLS; poll += 1) {
    const answer = await call('GET', `/drawdowns/${drawdownId}`);
    // Accepted, but the bank cannot say more right now: pending, not a refusal.
    if (answer.status >= 500) return { outcome: 'pending', drawdownId };
    if (answer.status >= 400) return refusal(answer);
    if (answer.json.status !== 'PENDING') return drawdownOutcome(answer.json);
    await sleep(50);
  }
  return { outcome: 'pending', drawdownId };
}

const OPERATIONS = {
  hello: async () => IDENTITY,

  'get-line': async (r) => result(await call('GET', `/credit-lines/${r.line}`)),

  activate: async (r) => result(await call('POST', `/credit-lines/${r.line}/activation`)),

  repay: async (r) => result(await call('POST', `/credit-lines/${r.line}/repayments`, {
    body: { amount: r.amount.minor, currency: r.amount.currency },
    key: idempotencyKey(r.intent),
  })),

  'draw-down': async (r) => {
    const body = { amount: r.amount.minor, currency: r.amount.currency, beneficiaryAccount: r.account };
    if (r.purpose) body.purposeCode = r.purpose;
    else if (version === 'v3') body.purposeCode = 'WC01'; // v3 requires one: working capital
    const answer = await call('POST', `/credit-lines/${r.line}/drawdowns`, {
      body, key: idempotencyKey(r.intent),
    });
    if (answer.status >= 400) return refusal(answer);
    if (answer.json.status === 'PENDING') return settle(answer.json.drawdownId);
    return drawdownOutcome(answer.json);
  },

  'get-drawdown': async (r) => {
    const answer = await call('GET', `/drawdowns/${r.drawdownId}`);
    if (answer.status >= 400) return refusal(answer);
    return drawdownOutcome(answer.json);
  },
};

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { outcome: 'failed', detail: `not a JSON request: ${error.message}` };
  }
  const operation = OPERATIONS[request && request.op];
  if (!operation) return { outcome: 'failed', detail: `unknown op ${JSON.stringify(request && request.op)}` };
  try {
    return await operation(request);
  } catch (error) {
    return { outcome: 'failed', detail: `${error.name}: ${error.message}` };
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) { // one request at a time: answers keep the requests' order
    if (!line.trim()) continue;
    process.stdout.write(JSON.stringify(await answer(line)) + '\n');
  }
}

main().catch((error) => {
  process.stderr.write(`connector crashed: ${error.stack || error}\n`);
  process.exit(1);
});
