package config

import "strings"

// cleanValue is a value as written in the file, without its inline comment and without one pair of
// surrounding quotes. A '#' or ';' starts a comment when it begins the value or follows a space or tab
// (`force_non_stream = false      # 强制非流式响应`); anywhere else it is part of the value, so pass phrases
// and URLs with fragments survive (`pass#word`, `https://host/#part`). Quotes keep everything inside them,
// comment markers included: `pass_phrase = "my # phrase"  # comment`.
func cleanValue(raw string) string {
	v := strings.TrimSpace(raw)
	if q, ok := quoted(v); ok {
		return q
	}
	return strings.TrimSpace(v[:commentStart(v)])
}

// quoted returns the inside of a value that is one quoted string followed by nothing but an optional comment.
func quoted(v string) (string, bool) {
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') {
		return "", false
	}
	end := strings.IndexByte(v[1:], v[0]) + 1
	if end == 0 {
		return "", false
	}
	if rest := strings.TrimLeft(v[end+1:], " \t"); rest != "" && (rest[0] != '#' && rest[0] != ';' || rest == v[end+1:]) {
		return "", false // text after the closing quote that is not a comment
	}
	return v[1:end], true
}

// commentStart is the index where the inline comment of v begins (len(v) without one). v starts right after
// the `=` and the blanks that follow it, so a marker at index 0 begins a comment too. A quoted value is
// skipped first (see quoted).
func commentStart(v string) int {
	from := 0
	if _, ok := quoted(v); ok {
		from = strings.IndexByte(v[1:], v[0]) + 2
	}
	for i := from; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t') {
			return i
		}
	}
	return len(v)
}
