package main

import "time"

// Results is everything one run measured; it is written as JSON and rendered into BENCHMARKS.md.
type Results struct {
	Machine     Machine             `json:"machine"`
	Command     string              `json:"command"`
	Started     time.Time           `json:"started"`
	WallSeconds float64             `json:"wall_seconds"`
	Settings    map[string]string   `json:"settings"`
	SignCost    *SignCost           `json:"sign_cost,omitempty"`
	Latency     []LatencyResult     `json:"latency,omitempty"`
	Throughput  *ThroughputResult   `json:"throughput,omitempty"`
	Stream      *StreamResult       `json:"stream,omitempty"`
	Messages    *MessagesResult     `json:"messages,omitempty"`
	Paced       []*PacedResult      `json:"paced,omitempty"`
	HTTP2       *HTTP2Result        `json:"http2,omitempty"`
	OpenStreams []OpenStreamsResult `json:"open_streams,omitempty"`
	Embed       *EmbedResult        `json:"embed,omitempty"`
	Startup     *StartupResult      `json:"startup,omitempty"`
	Signing     *SigningResult      `json:"signing,omitempty"`
	Soak        *SoakResult         `json:"soak,omitempty"`
	Responses   []ResponsesResult   `json:"responses,omitempty"`
	Compare     *CompareResult      `json:"compare,omitempty"`
	Routing     *RoutingResult      `json:"routing,omitempty"`
	Errors      map[string]string   `json:"scenario_errors,omitempty"`
	Noise       map[string]Noise    `json:"foreign_load"`     // CPU other processes used during each scenario
	Merged      []MergedRun         `json:"merged,omitempty"` // later runs (-merge) whose scenarios replaced this run's
}

// MergedRun is a later run that measured some scenarios again into these results (-merge).
type MergedRun struct {
	Scenarios   []string  `json:"scenarios"`
	Command     string    `json:"command"`
	Started     time.Time `json:"started"`
	WallSeconds float64   `json:"wall_seconds"`
	GitCommit   string    `json:"git_commit"`
	SignCost    *SignCost `json:"sign_cost,omitempty"`
}

type Machine struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	MemGiB    int    `json:"mem_gib"`
	Go        string `json:"go"`
	Kernel    string `json:"kernel"`
	NoFile    uint64 `json:"nofile_limit"`
	GitCommit string `json:"git_commit"`
}

// SignCost is one RSA-2048 PKCS#1 v1.5 SHA-256 signature of a 32-byte digest, timed in a single goroutine.
type SignCost struct {
	N            int     `json:"n"`
	CPUPerSigMs  float64 `json:"cpu_ms_per_signature"`
	WallPerSigMs float64 `json:"wall_ms_per_signature"`
	Impl         string  `json:"impl"`
}

type LatencyResult struct {
	Rate          int     `json:"rate_per_s"`
	Seconds       float64 `json:"seconds"`
	Direct        Summary `json:"direct"`
	Floor         Summary `json:"floor"`
	Gateway       Summary `json:"gateway"`
	Added         Diff    `json:"added"`          // gateway − direct (SDK)
	AddedFloor    Diff    `json:"added_to_floor"` // gateway − floor
	DirectLag     Summary `json:"direct_schedule_lag"`
	FloorLag      Summary `json:"floor_schedule_lag"`
	GatewayLag    Summary `json:"gateway_schedule_lag"`
	FloorCPUPerMs float64 `json:"floor_cpu_ms_per_request"`
	GwCPUPerMs    float64 `json:"gateway_cpu_ms_per_request"`
}

// Side is one way (direct or via gateway) of a closed-loop run.
type Side struct {
	Requests      int     `json:"requests"`
	Errors        int     `json:"errors"`
	FirstErr      string  `json:"first_error,omitempty"`
	RPS           float64 `json:"requests_per_s"`
	Latency       Summary `json:"latency"`
	ClientCPUMs   float64 `json:"client_cpu_ms_per_request"`
	SimCPUMs      float64 `json:"simulator_cpu_ms_per_request"`
	GatewayCPUMs  float64 `json:"gateway_cpu_ms_per_request,omitempty"`
	GatewayPeakMB float64 `json:"gateway_peak_rss_mb,omitempty"`
}

type ThroughputResult struct {
	Concurrency   int       `json:"concurrency"`
	Seconds       float64   `json:"seconds"`
	Direct        Side      `json:"direct"`
	Floor         Side      `json:"floor"` // ClientCPUMs: the floor agent's CPU per request
	Gateway       Side      `json:"gateway"`
	RatioFloor    float64   `json:"gateway_cpu_per_request_over_floor"`
	SignIdle      *SignCost `json:"signature_idle"`       // timed before each gateway segment
	SignLoad      *SignCost `json:"signature_under_load"` // sampled during the gateway segments
	SignCPUMs     float64   `json:"signature_cpu_ms"`     // under load: the basis of Ratio
	SignIdleCPUMs float64   `json:"signature_idle_cpu_ms"`
	Ratio         float64   `json:"gateway_cpu_per_request_over_signature"`
	RatioIdle     float64   `json:"gateway_cpu_per_request_over_idle_signature"`
}

type StreamResult struct {
	Tokens             int     `json:"tokens"`
	TokenDelayMs       float64 `json:"token_delay_ms"`
	Concurrency        int     `json:"concurrency"`
	Rounds             int     `json:"rounds_per_way"`
	DirectTTFB         Summary `json:"direct_ttfb"`
	FloorTTFB          Summary `json:"floor_ttfb"`
	GatewayTTFB        Summary `json:"gateway_ttfb"`
	AddedTTFB          Diff    `json:"added_ttfb"`
	AddedTTFBFloor     Diff    `json:"added_ttfb_to_floor"`
	DirectTTFT         Summary `json:"direct_first_token"`
	FloorTTFT          Summary `json:"floor_first_token"`
	GatewayTTFT        Summary `json:"gateway_first_token"`
	AddedTTFT          Diff    `json:"added_first_token"`
	AddedTTFTFloor     Diff    `json:"added_first_token_to_floor"`
	PerChunkSeq        Summary `json:"relative_sequential"`            // gateway round vs direct round, same index, first-token aligned
	PerChunkSeqNull    Summary `json:"relative_sequential_null"`       // the same on two direct rounds: the method's noise floor
	PerChunkPaired     Summary `json:"relative_paired"`                // gateway vs direct stream started at the same instant
	PerChunkPairedNull Summary `json:"relative_paired_null"`           // two direct streams started at the same instant
	TapDirect          Summary `json:"tap_delay_direct"`               // client arrival − leaving the simulator, direct
	TapFloor           Summary `json:"tap_delay_floor"`                // the same with the floor client
	TapGateway         Summary `json:"tap_delay_gateway"`              // the same via the gateway
	PerChunk           Diff    `json:"added_per_chunk"`                // tap: gateway − direct percentiles
	PerChunkFloor      Diff    `json:"added_per_chunk_to_floor"`       // tap: gateway − floor percentiles
	SentFloor          Summary `json:"request_leg_floor"`              // tap: request passed the tap − stream start, floor
	SentGateway        Summary `json:"request_leg_gateway"`            // the same via the gateway
	AddedSentFloor     Diff    `json:"added_request_leg_to_floor"`     // gateway − floor
	AnswerFloor        Summary `json:"first_byte_after_request_floor"` // first byte − request passed the tap, floor
	AnswerGateway      Summary `json:"first_byte_after_request_gateway"`
	AddedAnswerFloor   Diff    `json:"added_first_byte_after_request_to_floor"`
	DirectGap          Summary `json:"direct_inter_arrival"`
	FloorGap           Summary `json:"floor_inter_arrival"`
	GatewayGap         Summary `json:"gateway_inter_arrival"`
	GwCPUPerTok        float64 `json:"gateway_cpu_us_per_chunk"`
	RTTBusy            Summary `json:"loopback_rtt_back_to_back"`
	RTTIdle            Summary `json:"loopback_rtt_after_10ms_idle"`
}

// MessagesResult compares the Anthropic Messages API with chat completions through the same gateway.
type MessagesResult struct {
	Tokens        int     `json:"tokens"`
	TokenDelayMs  float64 `json:"token_delay_ms"`
	Concurrency   int     `json:"concurrency"`
	Rounds        int     `json:"rounds_per_way"`
	ChatTTFB      Summary `json:"chat_ttfb"`
	MsgsTTFB      Summary `json:"messages_ttfb"`
	AddedTTFB     Diff    `json:"added_ttfb"` // messages − chat
	ChatTTFT      Summary `json:"chat_first_token"`
	MsgsTTFT      Summary `json:"messages_first_token"`
	AddedTTFT     Diff    `json:"added_first_token"`
	ChatGap       Summary `json:"chat_inter_arrival"`
	MsgsGap       Summary `json:"messages_inter_arrival"`
	TapChat       Summary `json:"tap_delay_chat"`
	TapMsgs       Summary `json:"tap_delay_messages"`
	PerChunk      Diff    `json:"added_per_chunk"` // tap: messages − chat percentiles
	ChatCPUPerTok float64 `json:"chat_gateway_cpu_us_per_token"`
	MsgsCPUPerTok float64 `json:"messages_gateway_cpu_us_per_token"`
}

type OpenSide struct {
	Errors    int     `json:"errors"`
	FirstErr  string  `json:"first_error,omitempty"`
	Completed int     `json:"completed"`
	PeakOpen  int     `json:"peak_open"`
	RampS     float64 `json:"ramp_seconds"`
	Duration  Summary `json:"stream_duration"`
}

type OpenStreamsResult struct {
	Streams      int       `json:"streams"`
	Link         string    `json:"oci_link"` // how the gateway reached the simulator: http, tls-h1, tls-h2
	API          string    `json:"client_api"`
	Tokens       int       `json:"tokens"`
	TokenDelayMs float64   `json:"token_delay_ms"`
	RampPerS     int       `json:"started_per_s"`
	Floor        *OpenSide `json:"floor,omitempty"`       // the floor client holding the streams itself
	Relay        *OpenHold `json:"relay_floor,omitempty"` // the relay floor holding them for a client
	Gateway      OpenHold  `json:"gateway"`
	GoMemLimit   string    `json:"gateway_gomemlimit,omitempty"`
}

// OpenHold is a process (gateway or relay floor) holding the open streams of a client, and what it cost.
type OpenHold struct {
	OpenSide
	IdleRSSMB   float64 `json:"idle_rss_mb"`
	PeakRSSMB   float64 `json:"peak_rss_mb"` // VmHWM
	PerStreamKB float64 `json:"rss_kb_per_stream"`
	IdleThreads int     `json:"idle_threads"`
	PeakThreads int     `json:"peak_threads"`
	PeakFDs     int     `json:"peak_fds"`
	CPUSeconds  float64 `json:"cpu_seconds"`
}

type EmbedResult struct {
	Inputs      int     `json:"inputs_per_request"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Direct      Side    `json:"direct"`
	Gateway     Side    `json:"gateway"`
}

type StartupResult struct {
	Runs           int      `json:"runs"`
	FnSocket       Summary  `json:"function_socket_ready"`
	FnFirstServed  Summary  `json:"function_first_request_served"`
	FnErrors       int      `json:"function_errors"`
	FnFirstErr     string   `json:"function_first_error,omitempty"`
	LocalHealth    Summary  `json:"localserver_first_health"`
	LocalErrors    int      `json:"localserver_errors"`
	FnBinaryMB     float64  `json:"function_binary_mb"`
	GatewayBinaryM float64  `json:"gateway_binary_mb"`
	Images         []*Image `json:"images"`
}

// BuildVariant is one way of building the gateway for the signing comparison.
type BuildVariant struct {
	Name       string    `json:"name"`
	Command    string    `json:"build_command"`
	BuildOK    bool      `json:"build_ok"`
	BuildError string    `json:"build_error,omitempty"`
	BinaryMB   float64   `json:"binary_mb,omitempty"`
	Verified   string    `json:"verified,omitempty"` // how we know which crypto the binary uses
	Runs       bool      `json:"runs"`
	SignIdle   *SignCost `json:"signature_idle,omitempty"`
	SignLoad   *SignCost `json:"signature_under_load,omitempty"`
	Floor      *Side     `json:"floor,omitempty"` // the floor built the same way; ClientCPUMs is its CPU
	Gateway    *Side     `json:"gateway,omitempty"`
	Ratio      float64   `json:"gateway_cpu_per_request_over_own_signature,omitempty"` // under load
	RatioFloor float64   `json:"gateway_cpu_per_request_over_floor,omitempty"`
}

type SigningResult struct {
	GCC         string         `json:"gcc"`
	Concurrency int            `json:"concurrency"`
	Seconds     float64        `json:"seconds"`
	Variants    []BuildVariant `json:"variants"`
}
