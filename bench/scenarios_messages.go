package main

import (
	"context"
	"fmt"
	"time"
)

// messages: the same paced streams as the stream scenario, through one gateway, alternating rounds of chat
// completions and of the Anthropic Messages API, both reaching the simulator through the tap. What the
// Messages API costs beyond chat completions is the difference: time to first byte and first token, and the
// tap delay of every chunk.
func (r *runner) messages(ctx context.Context) error {
	rig, err := r.startTapped(ctx)
	if err != nil {
		return err
	}
	defer rig.stop()
	tp, g := rig.tap, rig.gw
	chat, msgs := newViaGateway(g.URL, r.o.streamConc), newViaMessages(g.URL, r.o.streamConc)

	for _, c := range []client{chat, msgs} { // one untimed round each opens connections
		if _, err := r.streamRounds(ctx, []client{c}); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	var viaChat, viaMsgs [][]*trace
	var chatCPU, msgsCPU time.Duration
	for i := 0; i < r.o.streamRounds; i++ {
		err := r.quietly(ctx, "chat/messages round pair", func() (func(), error) {
			cpu := startCPU(g.proc.pid())
			ct, err := r.streamRounds(ctx, []client{chat})
			if err != nil {
				return nil, err
			}
			mid := cpu.used()
			mt, err := r.streamRounds(ctx, []client{msgs})
			used := cpu.used()
			return func() {
				viaChat, viaMsgs = append(viaChat, ct[0]), append(viaMsgs, mt[0])
				chatCPU, msgsCPU = chatCPU+mid, msgsCPU+used-mid
			}, err
		})
		if err != nil {
			return fmt.Errorf("round %d: %w", i, err)
		}
	}

	res := &MessagesResult{Tokens: r.o.streamTokens, TokenDelayMs: ms(r.o.tokenDelay), Concurrency: r.o.streamConc, Rounds: r.o.streamRounds}
	r.res.Messages = res
	res.ChatTTFB, res.ChatTTFT, res.ChatGap = traceStats(viaChat)
	res.MsgsTTFB, res.MsgsTTFT, res.MsgsGap = traceStats(viaMsgs)
	res.AddedTTFB = diff(res.MsgsTTFB, res.ChatTTFB)
	res.AddedTTFT = diff(res.MsgsTTFT, res.ChatTTFT)
	res.TapChat, res.TapMsgs = tapDelays(tp, viaChat), tapDelays(tp, viaMsgs)
	res.PerChunk = diff(res.TapMsgs, res.TapChat)
	chunks := float64(r.o.streamRounds * r.o.streamConc * r.o.streamTokens)
	res.ChatCPUPerTok, res.MsgsCPUPerTok = float64(chatCPU.Microseconds())/chunks, float64(msgsCPU.Microseconds())/chunks
	progress("  messages vs chat: first byte p50 %+.3f ms, first token p50 %+.3f ms; per chunk (tap) p50 %+.3f p99 %+.3f ms; gateway CPU per token %.1f vs %.1f µs",
		res.AddedTTFB.P50, res.AddedTTFT.P50, res.PerChunk.P50, res.PerChunk.P99, res.MsgsCPUPerTok, res.ChatCPUPerTok)
	return nil
}
