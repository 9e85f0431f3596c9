// Package responses serves the OpenAI Responses API (POST /v1/responses, POST /v1/responses/compact) on the
// chat hub: it decodes a request into a hub chat request (Decode) and turns the hub's answer back into a
// response object (Turn.Encode) or its event stream (Turn.NewStream). It knows nothing of OCI or HTTP.
//
// What is mapped, and what is left out on purpose:
//
//   - input: a string, or items (input.go); instructions and system/developer messages become one leading
//     system message.
//   - tools: function; custom (one string argument, answered as custom_tool_call); namespace (flattened,
//     answered with namespace and name apart); hosted tools are left out and listed in Turn.Ignored (tools.go).
//   - tool_choice, parallel_tool_calls, max_output_tokens (absent: the gateway's default applies), temperature,
//     top_p, user; reasoning.effort (xhigh and max are OCI's high); text.format (json_object, json_schema) and
//     text.verbosity.
//   - Reasoning the model returns comes back as a reasoning item with summary text, whatever reasoning.summary
//     says; no encrypted_content is produced (include is ignored).
//   - store, include, prompt_cache_key, client_metadata, metadata (echoed), truncation, service_tier,
//     safety_identifier and stream_options are accepted and ignored.
//   - Stateless by design: previous_response_id, conversation, background, prompt and item_reference (but to
//     earlier reasoning, which is left out) are a 400 and a stored response is never found (NotStored): clients
//     send the whole conversation each time.
//   - Compaction (compact.go): a compaction_trigger item or POST /v1/responses/compact yields a compaction
//     item holding a summary sealed by the gateway (seal.go), expanded when it comes back.
package responses
