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
	OpenStreams []OpenStreamsResult `json:"open_streams,omitempty"`
	Embed       *EmbedResult        `json:"embed,omitempty"`
	Startup     *StartupResult      `json:"startup,omitempty"`
	Signing     *SigningResult      `json:"signing,omitempty"`
	Soak        *SoakResult         `json:"soak,omitempty"`
	Routing     *RoutingResult      `json:"routing,omitempty"`
	Errors      map[string]string   `json:"scenario_errors,omitempty"`
	Noise       map[string]Noise    `json:"foreign_load"` // CPU other processes used during each scenario
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
	Rate       int     `json:"rate_per_s"`
	Seconds    float64 `json:"seconds"`
	Direct     Summary `json:"direct"`
	Gateway    Summary `json:"gateway"`
	Added      Diff    `json:"added"`
	DirectLag  Summary `json:"direct_schedule_lag"`
	GatewayLag Summary `json:"gateway_schedule_lag"`
	GwCPUPerMs float64 `json:"gateway_cpu_ms_per_request"`
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
	Gateway       Side      `json:"gateway"`
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
	GatewayTTFB        Summary `json:"gateway_ttfb"`
	AddedTTFB          Diff    `json:"added_ttfb"`
	DirectTTFT         Summary `json:"direct_first_token"`
	GatewayTTFT        Summary `json:"gateway_first_token"`
	AddedTTFT          Diff    `json:"added_first_token"`
	PerChunkSeq        Summary `json:"relative_sequential"`      // gateway round vs direct round, same index, first-token aligned
	PerChunkSeqNull    Summary `json:"relative_sequential_null"` // the same on two direct rounds: the method's noise floor
	PerChunkPaired     Summary `json:"relative_paired"`          // gateway vs direct stream started at the same instant
	PerChunkPairedNull Summary `json:"relative_paired_null"`     // two direct streams started at the same instant
	TapDirect          Summary `json:"tap_delay_direct"`         // client arrival − leaving the simulator, direct
	TapGateway         Summary `json:"tap_delay_gateway"`        // the same via the gateway
	PerChunk           Diff    `json:"added_per_chunk"`          // tap: gateway − direct percentiles
	DirectGap          Summary `json:"direct_inter_arrival"`
	GatewayGap         Summary `json:"gateway_inter_arrival"`
	GwCPUPerTok        float64 `json:"gateway_cpu_us_per_chunk"`
	RTTBusy            Summary `json:"loopback_rtt_back_to_back"`
	RTTIdle            Summary `json:"loopback_rtt_after_10ms_idle"`
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
	Streams      int      `json:"streams"`
	Tokens       int      `json:"tokens"`
	TokenDelayMs float64  `json:"token_delay_ms"`
	RampPerS     int      `json:"started_per_s"`
	Direct       OpenSide `json:"direct"`
	Gateway      OpenSide `json:"gateway"`
	IdleRSSMB    float64  `json:"gateway_idle_rss_mb"`
	PeakRSSMB    float64  `json:"gateway_peak_rss_mb"` // VmHWM
	PerStreamKB  float64  `json:"gateway_rss_kb_per_stream"`
	IdleThreads  int      `json:"gateway_idle_threads"`
	PeakThreads  int      `json:"gateway_peak_threads"`
	PeakFDs      int      `json:"gateway_peak_fds"`
	GwCPUSeconds float64  `json:"gateway_cpu_seconds"`
	GoMemLimit   string   `json:"gateway_gomemlimit,omitempty"`
}

type EmbedResult struct {
	Inputs      int     `json:"inputs_per_request"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Direct      Side    `json:"direct"`
	Gateway     Side    `json:"gateway"`
}

type StartupResult struct {
	Runs           int     `json:"runs"`
	FnSocket       Summary `json:"function_socket_ready"`
	FnFirstServed  Summary `json:"function_first_request_served"`
	FnErrors       int     `json:"function_errors"`
	FnFirstErr     string  `json:"function_first_error,omitempty"`
	LocalHealth    Summary `json:"localserver_first_health"`
	LocalErrors    int     `json:"localserver_errors"`
	FnBinaryMB     float64 `json:"function_binary_mb"`
	GatewayBinaryM float64 `json:"gateway_binary_mb"`
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
	Gateway    *Side     `json:"gateway,omitempty"`
	Ratio      float64   `json:"gateway_cpu_per_request_over_own_signature,omitempty"` // under load
}

type SigningResult struct {
	GCC         string         `json:"gcc"`
	Concurrency int            `json:"concurrency"`
	Seconds     float64        `json:"seconds"`
	Variants    []BuildVariant `json:"variants"`
}
