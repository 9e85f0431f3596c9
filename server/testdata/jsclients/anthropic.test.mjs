// The official Anthropic TypeScript SDK (what Claude Code and the Claude Agent SDK are built on) against the
// gateway's Messages API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.env.ANTHROPIC_BASE_URL;
const apiKey = process.env.ANTHROPIC_API_KEY;
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0 });

test('messages.create', async () => {
  const m = await client.messages.create({
    model: 'grok-4',
    max_tokens: 200,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Hi from TypeScript' }],
  });
  assert.equal(m.type, 'message');
  assert.match(m.id, /^msg_/);
  assert.equal(m.model, 'grok-4');
  assert.deepEqual(m.content, [{ type: 'text', text: 'Hello from xai.grok-4! You said: Hi from TypeScript' }]);
  assert.equal(m.stop_reason, 'end_turn');
  assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0);
});

test('messages.stream: finalMessage agrees with the events', async () => {
  const stream = client.messages.stream({
    model: 'llama-3.3',
    max_tokens: 200,
    messages: [{ role: 'user', content: 'Stream this please' }],
  });
  let text = '';
  stream.on('text', (delta) => (text += delta));
  const m = await stream.finalMessage();
  assert.equal(m.content[0].text, 'Hello from meta.llama-3.3-70b-instruct! You said: Stream this please');
  assert.equal(text, m.content[0].text);
  assert.equal(m.stop_reason, 'end_turn');
  assert.ok(m.usage.output_tokens > 1);
});

test('thinking blocks from a reasoning model, streamed', async () => {
  const m = await client.messages
    .stream({
      model: 'gpt-oss-120b',
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think first' }],
    })
    .finalMessage();
  assert.deepEqual(
    m.content.map((b) => b.type),
    ['thinking', 'text'],
  );
  assert.equal(m.content[0].thinking, 'Thinking about: Think first');
  assert.equal(m.content[1].text, 'Hello from openai.gpt-oss-120b! You said: Think first');
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const model of ['grok-4', 'llama-3.3', 'command-a']) {
  test(`tool round trip on ${model} (streamed)`, async () => {
    const messages = [{ role: 'user', content: 'Use get_weather for Paris.' }];
    const first = await client.messages.stream({ model, max_tokens: 500, tools: [weatherTool], messages }).finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Paris' });
    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: JSON.stringify({ city: 'Paris', celsius: 21 }) }],
    });
    const second = await client.messages.create({ model, max_tokens: 500, tools: [weatherTool], messages });
    assert.equal(second.stop_reason, 'end_turn');
    assert.match(second.content[0].text, /returned: .*"celsius":21/);
  });
}

test('image on a Cohere vision model', async () => {
  const m = await client.messages.create({
    model: 'command-a-vision',
    max_tokens: 200,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ],
  });
  assert.equal(m.content[0].text, 'Hello from cohere.command-a-vision-07-2025! You said: What is this? [1 image(s)]');
});

test('count_tokens estimates', async () => {
  const r = await client.messages.countTokens({ model: 'grok-4', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
  assert.ok(r.input_tokens > 0, JSON.stringify(r));
});

test('a Bearer token (ANTHROPIC_AUTH_TOKEN) works as the key', async () => {
  const bearer = new Anthropic({ baseURL, apiKey: null, authToken: apiKey, maxRetries: 0 });
  const m = await bearer.messages.create({ model: 'grok-4', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(m.stop_reason, 'end_turn');
});

test('errors come back as the SDK typed errors', async () => {
  const wrongKey = new Anthropic({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 });
  const hi = { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };
  await assert.rejects(
    wrongKey.messages.create({ model: 'grok-4', ...hi }),
    (err) => err instanceof Anthropic.AuthenticationError && err.error.error.type === 'authentication_error' && /\S/.test(err.requestID),
  );
  await assert.rejects(
    client.messages.create({ model: 'no-such-model', ...hi }),
    (err) => err instanceof Anthropic.NotFoundError && err.error.error.type === 'not_found_error' && /grok-4/.test(err.message),
  );
  await assert.rejects(
    client.messages.create({ model: 'grok-4', max_tokens: 10, messages: [] }),
    (err) => err instanceof Anthropic.BadRequestError && err.error.error.type === 'invalid_request_error',
  );
});
