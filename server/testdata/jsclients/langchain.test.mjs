// LangChain.js's OpenAI integration pointed at the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';

const common = { apiKey: process.env.OPENAI_API_KEY, configuration: { baseURL: process.env.OPENAI_BASE_URL }, maxRetries: 0 };

test('invoke', async () => {
  const llm = new ChatOpenAI({ ...common, model: 'gemini-2.5-flash' });
  const msg = await llm.invoke([new SystemMessage('Be brief.'), new HumanMessage('Hello LangChain')]);
  assert.equal(msg.content, 'Hello from google.gemini-2.5-flash! You said: Hello LangChain');
  assert.ok(msg.usage_metadata.total_tokens > 0);
});

test('stream', async () => {
  const llm = new ChatOpenAI({ ...common, model: 'command-a', streamUsage: true });
  let text = '';
  let chunks = 0;
  let usage;
  for await (const chunk of await llm.stream('Stream for LangChain')) {
    text += chunk.content;
    chunks++;
    usage ??= chunk.usage_metadata;
  }
  assert.equal(text, 'Hello from cohere.command-a-03-2025! You said: Stream for LangChain');
  assert.ok(chunks > 2, `only ${chunks} chunk(s)`);
  assert.ok(usage && usage.output_tokens > 0, 'no usage');
});

test('bindTools yields parsed tool calls', async () => {
  const llm = new ChatOpenAI({ ...common, model: 'llama-3.3' }).bindTools([
    {
      type: 'function',
      function: {
        name: 'lookup_order',
        description: 'Find an order',
        parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      },
    },
  ]);
  const msg = await llm.invoke('Please lookup_order for A-17');
  assert.equal(msg.tool_calls.length, 1);
  assert.equal(msg.tool_calls[0].name, 'lookup_order');
  assert.deepEqual(msg.tool_calls[0].args, { order_id: 'A-17' });
  assert.match(msg.tool_calls[0].id, /\S/);
});

test('embeddings', async () => {
  const emb = new OpenAIEmbeddings({ ...common, model: 'embed-v4' });
  const [a, b] = await emb.embedDocuments(['first text', 'second text']);
  const q = await emb.embedQuery('first text');
  assert.ok(a.length > 0 && a.length === b.length);
  assert.notDeepEqual(a, b);
  assert.deepEqual(q, a); // the simulator's vectors depend on the text alone
});
