package hub

import "encoding/json"

// EmbedRequest is an embeddings request in the hub's terms: texts to embed and the options OCI's embedText takes.
type EmbedRequest struct {
	Inputs     []string
	Dimensions *int   // output dimensions; nil for the model's own
	InputType  string // SEARCH_DOCUMENT (default), SEARCH_QUERY, CLASSIFICATION, CLUSTERING (any case)
	Truncate   string // END (default), START, NONE (any case)
}

// Embeddings is the answer to an EmbedRequest: one vector per input, in input order, each the JSON array of
// numbers OCI sent (kept raw: copying it through spares parsing and printing a million numbers per request).
type Embeddings struct {
	Vectors      []json.RawMessage
	PromptTokens int
	TotalTokens  int
}
