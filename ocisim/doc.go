// Package ocisim is a deterministic, in-process simulator of the OCI Generative AI inference API (chat and embedText), and of the Vault secret reads the gateway makes, with request-signature verification and fault injection, for tests and benchmarks.
//
// Serve it with httptest.NewServer(ocisim.New(opts)) and point a client at
// the server URL (for the OCI SDK: client.Host = srv.URL). Routes:
//
//	POST /20231130/actions/chat       GENERIC, COHERE, COHEREV2
//	POST /20231130/actions/embedText
//	GET  /20190301/secretbundles/{id} Vault's GetSecretBundle (secrets put with PutSecret; see vault.go)
//	GET  /20231130/models             ListModels (the control plane's, served on the same port)
//	POST /v1/x509                     the Identity federation endpoint that instance principals trade their certificate for a session token at (see federation.go, and metadata.go for the instance metadata service)
//
// A simulator plays one region (Options.Region, default us-chicago-1) and serves the model ids that region
// serves on demand (catalogue.go, with its sources) and the dedicated endpoints whose OCID names it: any other
// model id or endpoint is 404 NotAuthorizedOrNotFound, as a typo or a model not offered in the region is in
// the service. Tests of routing across regions run one simulator per region, and tell each to misbehave with
// Inject (the next requests) or Always (every request, e.g. a region that throttles everything).
//
// Any other path is 404 NotAuthorizedOrNotFound, another method 405. Every
// response has an opc-request-id header; errors are {"code","message"}.
//
// Requests must be signed (OCI HTTP signature, API key registered with
// AddAPIKey/AddIdentity, or an ST$ session token from IssueToken).
//
// # Answer rules (tests assert exact text)
//
// GENERIC and COHEREV2:
//
//   - "the user text" is the TEXT parts of the last USER message joined by
//     single spaces; n = its IMAGE (IMAGE_URL for V2) parts.
//   - Text answer: "Hello from <modelId>! You said: <user text>", plus
//     " [<n> image(s)]" when n > 0 (modelId is the endpoint OCID for
//     DEDICATED). If the last message is TOOL:
//     "The tool <toolCallId> returned: <its text>".
//   - responseFormat JSON_OBJECT/JSON_SCHEMA (V2: JSON_OBJECT): the answer
//     becomes {"answer":"<text answer>"} (compact JSON).
//   - Stop sequences (stop / stopSequences): the answer is cut before the
//     earliest occurrence; finish "stop" (V2 STOP_SEQUENCE).
//   - Tokens: the answer split into words, each keeping the whitespace that
//     follows it ("Hello ", "from ", ...). maxCompletionTokens (else
//     maxTokens) smaller than the count truncates to that many tokens; finish
//     "length" (V2 MAX_TOKENS). The limit counts answer tokens only.
//   - Reasoning (GENERIC): model id contains "reasoning" (not
//     "non-reasoning") or starts with openai.gpt-oss, openai.o, openai.gpt-5,
//     xai.grok-3-mini, or reasoningEffort is set; reasoningEffort NONE turns
//     it off. Adds reasoningContent "Thinking about: <user text>" (streamed
//     token by token before the answer), counted in
//     usage.completionTokensDetails.reasoningTokens. COHEREV2: a model id
//     with "reasoning" adds a THINKING part unless thinking.type is DISABLED.
//   - Tool calls, when tools are offered, the last message is not TOOL and
//     toolChoice is not NONE: toolChoice FUNCTION calls that tool; otherwise
//     every tool whose name occurs as a whole word (case-insensitive) in the
//     user text is called, in order of appearance; REQUIRED with no name
//     mentioned calls the first tool. isParallelToolCalls false keeps only
//     the first. (COHEREV2: toolsChoice REQUIRED/NONE likewise.)
//     Arguments: a JSON object written right after the tool's name in the
//     user text (`Bash {"command":"pwd"}`) is taken as it is (keys sorted);
//     otherwise compact JSON with sorted keys holding every required
//     property of the parameters schema (all properties if none is
//     required): string → the first enum value, else what follows the word
//     "for" in the user text: a `backtick-quoted` span whole (newlines
//     included), or the next word (punctuation trimmed); else "example"; number/integer
//     → 1; boolean → true; array → []; object → {}; anything else → null.
//     Ids: "call_" + 8 hex digits of FNV-32a(name + "#" + position);
//     google.* models send no id. finishReason "tool_calls" (V2 TOOL_CALL);
//     the GENERIC message then has no content.
//   - numGenerations n: n identical choices (index 0..n-1).
//   - Usage: promptTokens = the whitespace-separated words of all message
//     texts plus 85 per image; completionTokens = answer tokens plus
//     reasoning tokens plus the words of tool-call names and arguments,
//     times n; totalTokens = the sum; GENERIC adds
//     promptTokensDetails{cachedTokens:0} and, when reasoning,
//     completionTokensDetails{reasoningTokens}.
//
// COHERE (V1):
//
//   - "Hello from <modelId>! You said: <message>"; with toolResults:
//     "The tool <call.name> returned: <compact JSON of outputs>" (several
//     results joined by a space). JSON_OBJECT wraps it as above;
//     stopSequences and maxTokens as above (finish COMPLETE or MAX_TOKENS).
//   - Tool calls: tools offered, no toolResults, and the message names tools
//     (whole word): all of them, parameters from the isRequired
//     parameterDefinitions (str → word after "for"/"example", int/float → 1,
//     bool → true, list… → [], dict… → {}), or the JSON object written after
//     the tool's name as above. finishReason stays COMPLETE.
//   - promptTokens = words of message + preambleOverride + chatHistory
//     messages.
//
// # Streams
//
// Content-Type is exactly text/event-stream; each event is one line
// `data: {json}` followed by a blank line, with a deterministic "pad" of
// a's; events are flushed one by one, Options.TokenDelay apart on a fixed
// schedule from the first (also before [DONE]); `data: [DONE]` ends the stream unless Options.OmitDone.
// GENERIC: an empty-text event (text answers only), reasoning pieces, text
// tokens or tool calls (xai.*: one event per whole call; meta.*/openai.*:
// an id+name event then three id-less argument fragments; google.*: the
// same without ids), then the vendor's finish event — xai
// {"finishReason":...}; meta {"message":{"role":"ASSISTANT",
// "content":[<last token>]},"finishReason":...} (the last text token rides
// on it); openai/google {"message":{...,"content":[{"type":"TEXT",
// "text":""}]},"finishReason":...}; tool calls end with
// {"message":{...,"toolCalls":[{"type":"FUNCTION","arguments":""}]},
// "finishReason":"tool_calls"} (xai: the bare form) — then, when
// streamOptions.isIncludeUsage, {"usage":{...}}. COHERE: one {"text"}
// event per token, one {"toolCalls"} event, then the terminal event
// repeating text/toolCalls with chatHistory, finishReason and usage.
// COHEREV2: content pieces, one event per tool call, then
// {"message":{"role":"ASSISTANT"},"finishReason":...,"usage":...}.
//
// # Embeddings
//
// Vectors are unit length, derived from an FNV hash of each input, so equal
// inputs give equal vectors. Dimensions: embed-v4* 1536 (outputDimensions
// 256/512/1024/1536 honoured), *-light-* 384, other v3 1024. promptTokens =
// words of all inputs.
package ocisim
