// The Vercel AI SDK through its OpenAI-compatible provider, the way a Next.js app would reach the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText } from 'ai';
import { loopsOverTools, streamsWithReasoning } from './aisdk-checks.mjs';

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

test('streamText with reasoning', () => streamsWithReasoning(oci('grok-3-mini')));

test('tool loop over several steps', () => loopsOverTools(oci('grok-4')));

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
