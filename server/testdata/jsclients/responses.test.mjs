// The clients whose default is the OpenAI Responses API (POST /v1/responses): the Vercel AI SDK's OpenAI
// provider and the OpenAI Agents SDK, configured only with the gateway's base URL and key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs } from 'ai';
import { Agent, run, setTracingDisabled, tool as agentTool } from '@openai/agents';
import { z } from 'zod';
import { loopsOverTools, streamsWithReasoning, weatherTool } from './aisdk-checks.mjs';

const openai = createOpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY });

test('AI SDK default provider: generateText', async () => {
  const r = await generateText({ model: openai('command-a'), prompt: 'Hello Responses', maxRetries: 0 });
  assert.equal(r.text, 'Hello from cohere.command-a-03-2025! You said: Hello Responses');
  assert.equal(r.finishReason, 'stop');
  assert.ok(r.usage.inputTokens > 0 && r.usage.outputTokens > 0);
  assert.match(r.response.id, /^resp_/);
});

test('AI SDK default provider: streamText with reasoning', () => streamsWithReasoning(openai('grok-3-mini')));

test('AI SDK default provider: a tool loop over several steps', () => loopsOverTools(openai('llama-3.3')));

test('AI SDK default provider: a tool loop on a reasoning model (earlier reasoning comes back by reference)', async () => {
  const r = await generateText({
    model: openai('grok-3-mini'),
    prompt: 'Call get_weather for Oslo',
    maxRetries: 0,
    stopWhen: stepCountIs(3),
    tools: { get_weather: weatherTool(7) },
  });
  assert.equal(r.steps.length, 2);
  assert.equal(r.steps[0].reasoningText, 'Thinking about: Call get_weather for Oslo');
  assert.match(r.text, /^The tool call_\w+ returned: \{"city":"Oslo","celsius":7\}$/);
});

test('AI SDK: a conversation that replays earlier answers sends them whole with store: false', async () => {
  const first = await generateText({ model: openai('grok-4'), prompt: 'First question', maxRetries: 0 });
  const messages = [...first.response.messages, { role: 'user', content: 'Second question' }];
  await assert.rejects(
    generateText({ model: openai('grok-4'), messages, maxRetries: 0 }),
    (e) => e.statusCode === 400 && /store: false/.test(e.message),
  );
  const second = await generateText({
    model: openai('grok-4'), messages, maxRetries: 0, providerOptions: { openai: { store: false } },
  });
  assert.equal(second.text, 'Hello from xai.grok-4! You said: Second question');
});

test('Agents SDK: one agent with one function tool', async () => {
  setTracingDisabled(true); // traces would go to api.openai.com
  const getWeather = agentTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => `${city}: 19 degrees`,
  });
  const agent = new Agent({ name: 'Weather', instructions: 'Answer with the tool.', model: 'grok-4', tools: [getWeather] });
  const result = await run(agent, 'Call get_weather for Lisbon');
  const call = result.newItems.find((i) => i.type === 'tool_call_item');
  assert.ok(call, `no tool call among ${result.newItems.map((i) => i.type)}`);
  assert.equal(call.rawItem.name, 'get_weather');
  assert.equal(result.finalOutput, `The tool ${call.rawItem.callId} returned: Lisbon: 19 degrees`);
});
