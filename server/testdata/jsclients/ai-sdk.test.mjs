// The Vercel AI SDK through its OpenAI-compatible provider, the way a Next.js app would reach the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';

const oci = createOpenAICompatible({
  name: 'ociai',
  baseURL: process.env.OPENAI_BASE_URL,
  apiKey: process.env.OPENAI_API_KEY,
  includeUsage: true,
});

test('generateText', async () => {
  const r = await generateText({ model: oci('command-a'), prompt: 'Hello AI SDK', maxRetries: 0 });
  assert.equal(r.text, 'Hello from cohere.command-a-03-2025! You said: Hello AI SDK');
  assert.equal(r.finishReason, 'stop');
  assert.ok(r.usage.inputTokens > 0 && r.usage.outputTokens > 0);
});

test('streamText with reasoning', async () => {
  const r = streamText({ model: oci('grok-3-mini'), prompt: 'Stream with thoughts', maxRetries: 0 });
  const parts = [];
  for await (const delta of r.textStream) parts.push(delta);
  assert.ok(parts.length > 1, `text came in ${parts.length} part(s)`);
  assert.equal(parts.join(''), 'Hello from xai.grok-3-mini! You said: Stream with thoughts');
  assert.equal(await r.reasoningText, 'Thinking about: Stream with thoughts');
  assert.equal(await r.finishReason, 'stop');
  assert.ok((await r.usage).outputTokens > 0);
});

test('tool loop over several steps', async () => {
  const r = await generateText({
    model: oci('grok-4'),
    prompt: 'Call get_weather for Lisbon',
    maxRetries: 0,
    stopWhen: stepCountIs(3),
    tools: {
      get_weather: tool({
        description: 'Current weather for a city',
        inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
        execute: async ({ city }) => ({ city, celsius: 19 }),
      }),
    },
  });
  assert.equal(r.steps.length, 2);
  const [call] = r.steps[0].toolCalls;
  assert.equal(call.toolName, 'get_weather');
  assert.deepEqual(call.input, { city: 'Lisbon' });
  assert.equal(r.steps[0].finishReason, 'tool-calls');
  assert.equal(r.text, `The tool ${call.toolCallId} returned: {"city":"Lisbon","celsius":19}`);
});

test('embedMany: 200 values in one call, which the gateway splits into OCI batches of 96', async () => {
  const values = Array.from({ length: 200 }, (_, i) => `passage ${i}`);
  const model = oci.embeddingModel('embed-v4');
  assert.ok(model.maxEmbeddingsPerCall >= values.length); // so the SDK sends them all at once
  const r = await embedMany({ model, values, maxRetries: 0 });
  assert.equal(r.embeddings.length, 200);
  assert.ok(r.embeddings.every((e) => e.length === r.embeddings[0].length && e.length > 0));
  assert.notDeepEqual(r.embeddings[0], r.embeddings[199]);
  assert.equal(r.usage.tokens, 400);
});
