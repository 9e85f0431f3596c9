// Checks of the Vercel AI SDK that hold whichever provider reaches the gateway (its OpenAI-compatible provider
// over chat completions, its default OpenAI provider over the Responses API).
import assert from 'node:assert/strict';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';

// weatherTool is the get_weather tool the tool loops call; it answers celsius for any city.
export const weatherTool = (celsius, description) =>
  tool({
    description,
    inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async ({ city }) => ({ city, celsius }),
  });

// streamsWithReasoning: grok-3-mini's answer streams in several parts, its reasoning beside it.
export async function streamsWithReasoning(model) {
  const r = streamText({ model, prompt: 'Stream with thoughts', maxRetries: 0 });
  const parts = [];
  for await (const delta of r.textStream) parts.push(delta);
  assert.ok(parts.length > 1, `text came in ${parts.length} part(s)`);
  assert.equal(parts.join(''), 'Hello from xai.grok-3-mini! You said: Stream with thoughts');
  assert.equal(await r.reasoningText, 'Thinking about: Stream with thoughts');
  assert.equal(await r.finishReason, 'stop');
  assert.ok((await r.usage).outputTokens > 0);
}

// loopsOverTools: a two-step tool loop; the simulator answers the second step with the tool's result.
export async function loopsOverTools(model) {
  const r = await generateText({
    model,
    prompt: 'Call get_weather for Lisbon',
    maxRetries: 0,
    stopWhen: stepCountIs(3),
    tools: { get_weather: weatherTool(19, 'Current weather for a city') },
  });
  assert.equal(r.steps.length, 2);
  const [call] = r.steps[0].toolCalls;
  assert.equal(call.toolName, 'get_weather');
  assert.deepEqual(call.input, { city: 'Lisbon' });
  assert.equal(r.steps[0].finishReason, 'tool-calls');
  assert.equal(r.text, `The tool ${call.toolCallId} returned: {"city":"Lisbon","celsius":19}`);
}
