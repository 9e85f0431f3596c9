package responses

import (
	"strconv"
	"unicode/utf8"
)

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return "'" + s + "'" }

// validUTF8Prefix drops a rune cut in two at the end of s.
func validUTF8Prefix(s string) string {
	for i := 0; i < utf8.UTFMax-1 && s != ""; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// validUTF8Suffix drops a rune cut in two at the start of s.
func validUTF8Suffix(s string) string {
	for i := 0; i < utf8.UTFMax-1 && s != ""; i++ {
		if r, size := utf8.DecodeRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[1:]
	}
	return s
}
