// The official OpenAI JavaScript SDK (used by Cline, Continue and most Node tools) against the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.OPENAI_BASE_URL;
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });

test('chat completion', async () => {
  const r = await client.chat.completions.create({
    model: 'grok-4',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi from JavaScript' },
    ],
  });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'grok-4');
  assert.equal(r.choices[0].message.content, 'Hello from xai.grok-4! You said: Hi from JavaScript');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
});

test('stream helper accumulates the chunks into the same completion', async () => {
  // The SDK's stream helper rebuilds a completion from the chunks and throws on a malformed chunk sequence.
  const runner = client.chat.completions.stream({
    model: 'llama-3.3',
    messages: [{ role: 'user', content: 'Stream this please' }],
    stream_options: { include_usage: true },
  });
  let deltas = 0;
  runner.on('content', () => deltas++);
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices[0].message.content, 'Hello from meta.llama-3.3-70b-instruct! You said: Stream this please');
  assert.equal(final.choices[0].finish_reason, 'stop');
  assert.ok(deltas > 1, `content came in ${deltas} delta(s), not token by token`);
  assert.ok(final.usage && final.usage.completion_tokens > 0, 'no usage chunk');
});

test('reasoning_content arrives beside the answer', async () => {
  const r = await client.chat.completions.create({
    model: 'gpt-oss-120b',
    messages: [{ role: 'user', content: 'Think first' }],
  });
  assert.equal(r.choices[0].message.reasoning_content, 'Thinking about: Think first');
  assert.equal(r.choices[0].message.content, 'Hello from openai.gpt-oss-120b! You said: Think first');
  assert.ok(r.usage.completion_tokens_details.reasoning_tokens > 0);
});

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    parse: JSON.parse,
    function: ({ city }) => JSON.stringify({ city, celsius: 21 }),
  },
};

for (const model of ['grok-4', 'llama-3.3', 'command-a']) {
  test(`runTools round trip on ${model} (streamed)`, async () => {
    // runTools calls the model, runs the tool with the parsed arguments, sends the result back and asks again.
    const runner = client.chat.completions.runTools({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Use get_weather for Paris.' }],
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const calls = runner.messages.flatMap((m) => m.tool_calls ?? []);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: 'Paris' });
    assert.match(calls[0].id, /\S/);
    assert.match(final.choices[0].message.content, /returned: .*"celsius":21/);
  });
}

test('vision request on a Cohere vision model', async () => {
  const r = await client.chat.completions.create({
    model: 'command-a-vision',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ],
  });
  assert.equal(r.choices[0].message.content, 'Hello from cohere.command-a-vision-07-2025! You said: What is this? [1 image(s)]');
});

test('embeddings: the default base64 encoding decodes to the float values', async () => {
  const input = Array.from({ length: 120 }, (_, i) => `document number ${i}`);
  // Without encoding_format the SDK asks for base64 and decodes the little-endian float32 itself.
  const b64 = await client.embeddings.create({ model: 'embed-v4', input });
  const floats = await client.embeddings.create({ model: 'embed-v4', input, encoding_format: 'float' });
  assert.equal(b64.data.length, input.length);
  b64.data.forEach((d, i) => {
    assert.equal(d.index, i);
    assert.equal(d.embedding.length, floats.data[i].embedding.length);
    assert.deepEqual(d.embedding, floats.data[i].embedding.map(Math.fround));
  });
  assert.equal(b64.usage.prompt_tokens, floats.usage.prompt_tokens);
});

test('models list', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.ok(ids.includes('grok-4') && ids.includes('embed-v4'), ids.join(','));
});

test('errors come back as the SDK typed errors', async () => {
  const wrongKey = new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 });
  await assert.rejects(
    wrongKey.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.AuthenticationError && err.status === 401 && err.code === 'invalid_api_key',
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found' && /grok-4/.test(err.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'grok-4', messages: [] }),
    (err) => err instanceof OpenAI.BadRequestError && err.status === 400,
  );
});
