package core

// SyntheticCallID derives a stable tool-call id for a call OCI sent without one (Gemini): "call_" + 16 hex
// digits of an FNV-1a hash over the answer id, the choice index and the call index.
func SyntheticCallID(seed string, choice, call int) string {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(seed); i++ {
		h = (h ^ uint64(seed[i])) * prime
	}
	for _, v := range [2]int{choice, call} {
		for k := 0; k < 8; k++ {
			h = (h ^ uint64(byte(v>>(8*k)))) * prime
		}
	}
	const hexDigits = "0123456789abcdef"
	var b [5 + 16]byte
	copy(b[:], "call_")
	for i := 0; i < 16; i++ {
		b[5+i] = hexDigits[(h>>(60-4*i))&0xf]
	}
	return string(b[:])
}
