package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// floor is the least any OCI caller can do, the baseline the gateway is judged against: a hand-written client
// that builds the OCI JSON from a small struct, signs it with the parsed key and the gateway's own signer
// (ocigenai.Signer, parsed once by ocigenai.NewIdentity), posts it on a keep-alive connection and reads the
// answer, decoding only what a caller needs. No SDK request types, no retries, no error decoding.
type floor struct {
	base   string
	signer common.HTTPRequestSigner
	hc     *http.Client
}

func newFloor(s *simProc, conc int) (*floor, error) {
	id, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: s.Tenancy, User: s.User, Fingerprint: s.Fingerprint, PrivateKeyPEM: []byte(s.keyPEM)})
	if err != nil {
		return nil, err
	}
	tr, err := simTransport(s, conc)
	if err != nil {
		return nil, err
	}
	return &floor{base: s.URL, signer: ocigenai.Signer(id.Keys), hc: &http.Client{Transport: tr}}, nil
}

// The OCI JSON the gateway sends for {"model":"llama","messages":[{"role":"user","content":prompt}]}, field for
// field (its default maxTokens of 4000 included; streams ask for usage as the gateway does).
type (
	floorChat struct {
		CompartmentID string           `json:"compartmentId"`
		ServingMode   floorServingMode `json:"servingMode"`
		ChatRequest   floorChatRequest `json:"chatRequest"`
	}
	floorServingMode struct {
		ServingType string `json:"servingType"`
		ModelID     string `json:"modelId"`
	}
	floorChatRequest struct {
		APIFormat     string          `json:"apiFormat"`
		Messages      []floorMessage  `json:"messages"`
		IsStream      bool            `json:"isStream,omitempty"`
		StreamOptions *floorStreamOpt `json:"streamOptions,omitempty"`
		MaxTokens     int             `json:"maxTokens"`
	}
	floorMessage struct {
		Role    string         `json:"role"`
		Content []floorContent `json:"content"`
	}
	floorContent struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	floorStreamOpt struct {
		IsIncludeUsage bool `json:"isIncludeUsage"`
	}
	floorEmbed struct {
		Inputs        []string         `json:"inputs"`
		ServingMode   floorServingMode `json:"servingMode"`
		CompartmentID string           `json:"compartmentId"`
	}
	// floorAnswer is what a caller reads of a chat answer: the text and why it ended.
	floorAnswer struct {
		ChatResponse struct {
			Choices []struct {
				Message struct {
					Content []struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"message"`
				FinishReason string `json:"finishReason"`
			} `json:"choices"`
		} `json:"chatResponse"`
	}
)

func floorChatBody(prompt string, stream bool) floorChat {
	c := floorChat{CompartmentID: compartment, ServingMode: floorServingMode{"ON_DEMAND", chatModel},
		ChatRequest: floorChatRequest{APIFormat: "GENERIC", MaxTokens: 4000,
			Messages: []floorMessage{{Role: "USER", Content: []floorContent{{Type: "TEXT", Text: prompt}}}}}}
	if stream {
		c.ChatRequest.IsStream, c.ChatRequest.StreamOptions = true, &floorStreamOpt{IsIncludeUsage: true}
	}
	return c
}

// post marshals v, signs and sends it to path, and returns a 200 answer.
func (f *floor) post(ctx context.Context, path string, v any) (*http.Response, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if err := f.signer.Sign(req); err != nil {
		return nil, err
	}
	res, err := f.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		res.Body.Close()
		return nil, fmt.Errorf("OCI %s: %d %s", path, res.StatusCode, b)
	}
	return res, nil
}

func (f *floor) chat(ctx context.Context, prompt string) error {
	res, err := f.post(ctx, ocigenai.PathChat, floorChatBody(prompt, false))
	if err != nil {
		return err
	}
	var a floorAnswer
	if err := readJSON(res, &a); err != nil {
		return err
	}
	if ch := a.ChatResponse.Choices; len(ch) == 0 || ch[0].FinishReason == "" || len(ch[0].Message.Content) == 0 {
		return fmt.Errorf("unexpected answer %+v", a)
	}
	return nil
}

func (f *floor) stream(ctx context.Context, prompt string, tr *trace) error {
	res, err := f.post(ctx, ocigenai.PathChat, floorChatBody(prompt, true))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return readEvents(res.Body, tr, ociTextKey)
}

func (f *floor) embed(ctx context.Context, inputs []string) error {
	res, err := f.post(ctx, ocigenai.PathEmbed, floorEmbed{Inputs: inputs, ServingMode: floorServingMode{"ON_DEMAND", embedModel}, CompartmentID: compartment})
	if err != nil {
		return err
	}
	var a struct {
		Embeddings []json.RawMessage `json:"embeddings"`
	}
	if err := readJSON(res, &a); err != nil {
		return err
	}
	if len(a.Embeddings) != len(inputs) {
		return fmt.Errorf("%d embeddings for %d inputs", len(a.Embeddings), len(inputs))
	}
	return nil
}

// readJSON reads the whole answer (so the connection goes back to the pool) and decodes it into v.
func readJSON(res *http.Response, v any) error {
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
