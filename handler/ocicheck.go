package handler

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// checkTTL is how long a /test-oci result is reused. The check needs no key, so it must not become a way to
// spend the owner's money: within checkTTL every caller gets the same result, and one check runs at a time.
const checkTTL = 5 * time.Second

// ociCheck is one run of the OCI check: a one-token chat call to each target of a chat model, and the [MODELS]
// check against ListModels in every region the models use.
type ociCheck struct {
	model   model         // the chat model called; no call when its Name is ""
	targets []targetCheck // its targets' calls, in configured order
	models  *modelsCheck
}

// targetCheck is the chat call to one target.
type targetCheck struct {
	target    *ocigenai.Target
	latencyMS float64
	requestID string     // its opc-request-id
	err       *hub.Error // its failure, nil when it worked
	ociCode   string     // OCI's error code of that failure, when OCI answered
}

func (c *ociCheck) ok() bool {
	for _, t := range c.targets {
		if t.err != nil {
			return false
		}
	}
	return c.models == nil || c.models.problems == 0
}

// checker runs one check at a time and keeps each model's last result for checkTTL.
type checker struct {
	sem  chan struct{}
	mu   sync.Mutex
	last map[string]checked // by the model's name
}

type checked struct {
	check *ociCheck
	at    time.Time
}

func newChecker() *checker { return &checker{sem: make(chan struct{}, 1), last: map[string]checked{}} }

// get returns name's check from the last checkTTL (cached true), or runs it. Checks run one at a time; a caller
// that waited for another's check of the same model gets that result. A check whose caller left is not kept.
func (k *checker) get(ctx context.Context, name string, run func() *ociCheck) (c *ociCheck, cached bool, err error) {
	if c := k.fresh(name); c != nil {
		return c, true, nil
	}
	select {
	case k.sem <- struct{}{}:
		defer func() { <-k.sem }()
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	if c := k.fresh(name); c != nil {
		return c, true, nil
	}
	c = run()
	if ctx.Err() == nil {
		k.mu.Lock()
		k.last[name] = checked{check: c, at: time.Now()}
		k.mu.Unlock()
	}
	return c, false, nil
}

func (k *checker) fresh(name string) *ociCheck {
	k.mu.Lock()
	defer k.mu.Unlock()
	if c, ok := k.last[name]; ok && time.Since(c.at) < checkTTL {
		return c.check
	}
	return nil
}

// checkOCI serves GET /test-oci. Anyone may call it (the original tool's users check their setup that way);
// only a caller with a key may pick the model (?model=) and sees the details: endpoint, OCI model ids, error
// messages and each model's finding. Without the key no key, OCID or file path is shown.
func (h *Handler) checkOCI(w http.ResponseWriter, r *http.Request, _ string) {
	ctx := r.Context()
	info := infoFrom(ctx)
	detailed := info.keyName != ""
	name := r.URL.Query().Get("model")
	if name != "" && !detailed && !h.authenticate(w, r, info) { // choosing the model takes the key
		return
	}
	if name == "" {
		name = h.firstChatModel()
	}
	var m model
	if name != "" {
		var e *hub.Error
		if m, e = h.resolveModel(name, isChat); e != nil {
			writeError(w, r, e)
			return
		}
		info.model = name
	}
	c, cached, err := h.checks.get(ctx, name, func() *ociCheck { return h.runCheck(ctx, m) })
	if err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	status := http.StatusOK
	if !c.ok() {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, h.report(c, cached, detailed))
}

// firstChatModel is the model /test-oci calls by default ("" when only embedding models are configured).
func (h *Handler) firstChatModel() string {
	for _, m := range h.opt.Models {
		if isChat(h.models[m.Name]) {
			return m.Name
		}
	}
	return ""
}

// runCheck makes the smallest possible chat call (one output token) to each of the model's targets in turn,
// whatever their cool-down, to check credentials, policy and regions, then compares [MODELS] with what the
// regions list.
func (h *Handler) runCheck(ctx context.Context, m model) *ociCheck {
	res := &ociCheck{model: m}
	if m.Name != "" {
		for i := range m.Targets {
			res.targets = append(res.targets, h.checkTarget(ctx, m, i))
		}
	}
	res.models = h.checkModels(ctx)
	return res
}

// checkTarget makes the one-token call to the model's target i alone.
func (h *Handler) checkTarget(ctx context.Context, m model, i int) targetCheck {
	tc := targetCheck{target: m.route.Targets()[i]}
	only := m
	only.route = m.route.Only(i)
	only.Targets, only.formats = m.Targets[i:i+1], m.formats[i:i+1]
	one := 1
	c := &chatCall{info: infoFrom(ctx), id: newID("chatcmpl-"), created: time.Now().Unix(), model: only, builds: make([]chatBuild, 1)}
	c.req = &hub.ChatRequest{Model: m.Name, MaxTokens: &one, Messages: []hub.Message{{Role: "user", Content: hub.TextContent("ping")}}}
	start := time.Now()
	_, err := h.complete(ctx, c)
	tc.latencyMS = float64(time.Since(start).Microseconds()) / 1000
	if c.answer != nil {
		tc.requestID = c.answer.RequestID
	}
	if err != nil {
		tc.err = toAPIError(ctx, err)
		h.logFailure(ctx, "OCI check failed", tc.err)
		var oe *ocigenai.Error
		if errors.As(err, &oe) {
			tc.ociCode, tc.requestID = oe.Code, oe.RequestID
		}
	}
	return tc
}
